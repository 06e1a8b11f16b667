package dev.updater.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The lines of {@code updater doctor}: one per check, {@code OK} or {@code FAIL} with the fix,
 * counted so that the command can sum them up.
 */
final class DoctorReport {
  static final PrintStream NULL = new PrintStream(java.io.OutputStream.nullOutputStream());

  private final PrintStream out;
  private final Optional<ArrayNode> json;
  int checks;
  int failures;

  DoctorReport(PrintStream out) {
    this(out, Optional.empty());
  }

  /** A report that also adds each check to {@code json} as {area, ok, what, fix}. */
  DoctorReport(PrintStream out, Optional<ArrayNode> json) {
    this.out = out;
    this.json = json;
  }

  void ok(String area, String what) {
    checks++;
    out.println("OK   " + area + ": " + what);
    json.ifPresent(a -> a.addObject().put("area", area).put("ok", true).put("what", what)
        .putNull("fix"));
  }

  void fail(String area, String what, String fix) {
    checks++;
    failures++;
    out.println("FAIL " + area + ": " + what + "; fix: " + fix);
    json.ifPresent(a -> a.addObject().put("area", area).put("ok", false).put("what", what)
        .put("fix", fix));
  }
}
