package dev.updater.cli;

import java.util.Set;

/**
 * One {@code updater} command. {@link Main} parses the options the command declares and calls
 * {@link #run}; a failure is thrown as a {@link CliException} carrying its exit code.
 */
interface Command {

  /** The command's name on the command line, such as {@code publish}. */
  String name();

  /** One line for the overview of {@code updater --help}. */
  String summary();

  /** The usage line, such as {@code updater status --home DIR}. */
  String usage();

  /** The options and their meaning, printed by {@code updater <command> --help}. */
  String help();

  /** The options that take a value. */
  Set<String> valued();

  /** The options without a value. */
  default Set<String> flags() {
    return Set.of();
  }

  /** Whether operands (arguments that are not options) are accepted. */
  default boolean operands() {
    return false;
  }

  /** Runs the command and returns its exit code. */
  int run(Args args, Env env) throws CliException;
}
