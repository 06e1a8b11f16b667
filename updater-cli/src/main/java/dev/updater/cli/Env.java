package dev.updater.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What a command may touch besides its arguments: where to print, the clock (publish times and
 * expiry), whether output goes to a terminal, and the JSON report of a {@code --json} run. Tests
 * pass their own streams and a fixed clock.
 *
 * @param out results, one fact per line (in a {@code --json} run: the error stream, so that the
 *     standard output holds only the JSON object)
 * @param err errors, warnings and hints
 * @param clock the time for publish dates and index expiry
 * @param terminal whether a person watches the output: download progress is then drawn as a bar
 * @param json the report a {@code --json} run prints as its one JSON object, if asked for
 * @param quiet whether step and progress lines are left out ({@code --quiet})
 */
record Env(PrintStream out, PrintStream err, Clock clock, boolean terminal,
    Optional<JsonReport> json, boolean quiet) {

  Env {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(json, "json");
  }

  /** Plain output (no terminal), no JSON report. */
  Env(PrintStream out, PrintStream err, Clock clock) {
    this(out, err, clock, false, Optional.empty(), false);
  }

  /** This environment for a {@code --json} run: human lines go to the error stream. */
  Env forJson(JsonReport report) {
    return new Env(err, err, clock, terminal, Optional.of(report), quiet);
  }

  /** This environment without step and progress lines. */
  Env quietly() {
    return new Env(out, err, clock, terminal, json, true);
  }
}
