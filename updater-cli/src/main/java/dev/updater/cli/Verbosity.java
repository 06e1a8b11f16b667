package dev.updater.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * How much the command says besides its result: the global options {@code --verbose} ({@code -v})
 * and {@code --quiet} ({@code -q}), accepted anywhere before {@code --}. They choose the level of
 * the library's log lines on standard error (through the command's own SLF4J backend) and whether
 * step and progress lines are printed. The last one given wins.
 */
enum Verbosity {
  /** Errors only: no step or progress lines, log lines of level ERROR. */
  QUIET("error"),
  /** Step and progress lines, and the library's warnings. */
  NORMAL("warn"),
  /** Step and progress lines, and every log line down to DEBUG. */
  VERBOSE("debug");

  private final String logLevel;

  Verbosity(String logLevel) {
    this.logLevel = logLevel;
  }

  /** The verbosity {@code args} ask for. */
  static Verbosity of(List<String> args) {
    Verbosity v = NORMAL;
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      if (a.equals("--verbose") || a.equals("-v")) {
        v = VERBOSE;
      } else if (a.equals("--quiet") || a.equals("-q")) {
        v = QUIET;
      }
    }
    return v;
  }

  /** {@code args} without the global verbosity options (those before {@code --}). */
  static List<String> strip(List<String> args) {
    List<String> rest = new ArrayList<>(args.size());
    boolean options = true;
    for (String a : args) {
      if (a.equals("--")) {
        options = false;
      }
      if (!options || !(a.equals("--verbose") || a.equals("-v") || a.equals("--quiet")
          || a.equals("-q"))) {
        rest.add(a);
      }
    }
    return rest;
  }

  /**
   * Sets up the command's SLF4J backend (slf4j-simple) for this verbosity: log lines on standard
   * error as {@code [WARN] dev.updater.core...: message}. Must run before the first logger is
   * made; a level given with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins.
   */
  void configureLogging() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
