package dev.updater.cli;

import java.io.PrintStream;

/**
 * The lines of {@code updater doctor}: one per check, {@code OK} or {@code FAIL} with the fix,
 * counted so that the command can sum them up.
 */
final class DoctorReport {
  static final PrintStream NULL = new PrintStream(java.io.OutputStream.nullOutputStream());

  private final PrintStream out;
  int checks;
  int failures;

  DoctorReport(PrintStream out) {
    this.out = out;
  }

  void ok(String area, String what) {
    checks++;
    out.println("OK   " + area + ": " + what);
  }

  void fail(String area, String what, String fix) {
    checks++;
    failures++;
    out.println("FAIL " + area + ": " + what + "; fix: " + fix);
  }
}
