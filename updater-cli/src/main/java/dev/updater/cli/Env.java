package dev.updater.cli;

import java.io.PrintStream;
import java.time.Clock;

/**
 * What a command may touch besides its arguments: where to print, and the clock (publish times and
 * expiry). Tests pass their own streams and a fixed clock.
 *
 * @param out results, one fact per line
 * @param err errors, warnings and hints
 * @param clock the time for publish dates and index expiry
 */
record Env(PrintStream out, PrintStream err, Clock clock) {}
