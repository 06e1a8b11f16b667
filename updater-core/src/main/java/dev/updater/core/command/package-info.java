/**
 * Running external programs: {@link dev.updater.core.command.Command} is one program with its
 * arguments (never through a shell), a working directory, an environment, a timeout and a bound on
 * the output kept; {@link dev.updater.core.command.Command#run()} starts it, waits, and returns a
 * {@link dev.updater.core.command.CommandResult} with the exit status and the last of its output.
 * A command that outlives its timeout is ended together with every process it started. {@link
 * dev.updater.core.command.CommandHook} runs such a program as a pipeline hook, by default in the
 * tree of the step (the staged tree after {@code STAGE}).
 *
 * <p>The restarters, migration and backup commands, and command health checks all run their
 * programs through this package, so they share one way of waiting, capturing and killing.
 */
package dev.updater.core.command;
