package dev.updater.cli;

/**
 * A command's failure with the exit code it ends with and a message that says what is wrong and
 * what to do. {@link Main} prints the message (after the command name) and exits with the code.
 */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final boolean showUsage;

  private CliException(int exitCode, String message, boolean showUsage, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.showUsage = showUsage;
  }

  /** The command line is wrong; the usage line is printed after the message. */
  static CliException usage(String message) {
    return new CliException(Exit.USAGE, message, true, null);
  }

  /** An argument names something unusable (a missing file, a malformed key); no usage line. */
  static CliException badArgument(String message, Throwable cause) {
    return new CliException(Exit.USAGE, message, false, cause);
  }

  /** Refused because of what is already there. */
  static CliException refused(String message) {
    return new CliException(Exit.REFUSED, message, false, null);
  }

  /** Any other failure, with its exit code. */
  static CliException failed(int exitCode, String message, Throwable cause) {
    return new CliException(exitCode, message, false, cause);
  }

  int exitCode() {
    return exitCode;
  }

  boolean showUsage() {
    return showUsage;
  }
}
