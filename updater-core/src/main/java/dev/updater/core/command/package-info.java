/**
 * Running external programs: {@link dev.updater.core.command.Command} is one program with its
 * arguments (never through a shell), a working directory, an environment, a timeout and a bound on
 * the output kept; {@link dev.updater.core.command.Command#run()} starts it, waits, and returns a
 * {@link dev.updater.core.command.CommandResult} with the exit status and the last of its output.
 * A command that outlives its timeout is ended together with every process it started.
 *
 * <p>The restarters, migration and backup commands, and command health checks all run their
 * programs through this package, so they share one way of waiting, capturing and killing.
 */
package dev.updater.core.command;
