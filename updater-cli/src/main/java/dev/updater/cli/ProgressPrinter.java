package dev.updater.cli;

import dev.updater.core.Step;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Prints the progress of an operation: one line per step ({@code [downloading] verify 1.1.0}), and
 * for the download either a bar redrawn in place with bytes, rate and time left (when a person
 * watches a terminal) or a plain line at every 10 percent (a log, a pipe, a CI job).
 *
 * <pre>{@code
 * [downloading] download 1.1.0
 * [downloading] 10% (5242880 of 48213504 bytes)
 * ...
 * [downloading] 48213504 bytes
 * }</pre>
 */
final class ProgressPrinter implements UpdateListener {
  private static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private long downloaded = -1;
  private long startBytes;
  private long startNanos;
  private int lastTenth;
  private boolean barDrawn;

  /**
   * @param out where to print
   * @param terminal whether to draw a bar in place rather than print lines
   * @param nanoTime a monotonic clock in nanoseconds, for the rate ({@code System::nanoTime})
   */
  ProgressPrinter(PrintStream out, boolean terminal, LongSupplier nanoTime) {
    this.out = Objects.requireNonNull(out, "out");
    this.terminal = terminal;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  @Override
  public void onEvent(UpdateEvent event) {
    if (event instanceof UpdateEvent.Progress p) {
      if (p.step() == Step.DOWNLOAD) {
        progress(p);
      }
      return;
    }
    endBar();
    if (event instanceof UpdateEvent.Started s) {
      out.println("[checking] " + s.operation().name().toLowerCase(Locale.ROOT) + " "
          + s.to() + s.from().map(f -> " (installed: " + f + ")").orElse(" (first install)"));
    } else if (event instanceof UpdateEvent.StepStarted s) {
      out.println("[" + s.phase().statusName() + "] " + stepName(s.step()) + " " + s.target());
      if (s.step() == Step.DOWNLOAD) {
        downloaded = -1;
        lastTenth = 0;
      }
    } else if (event instanceof UpdateEvent.StepCompleted c && c.step() == Step.DOWNLOAD
        && downloaded >= 0) {
      out.println("[downloading] " + downloaded + " bytes");
      downloaded = -1;
    } else if (event instanceof UpdateEvent.RolledBack r) {
      out.println("[rolled back] " + r.from() + " -> "
          + r.to().map(Object::toString).orElse("(none)") + ": " + r.why());
    } else if (event instanceof UpdateEvent.Completed c) {
      out.println("[complete] " + c.to());
    } else if (event instanceof UpdateEvent.Failed f) {
      out.println("[error] " + f.error().reason());
    }
  }

  private void progress(UpdateEvent.Progress p) {
    if (downloaded < 0) {
      // The rate counts from the first report: a resumed download starts at its offset, which
      // the events do not tell, so the first frame shows no rate.
      startBytes = p.done();
      startNanos = nanoTime.getAsLong();
    }
    downloaded = p.done();
    if (p.total().isEmpty() || p.total().getAsLong() <= 0) {
      return;
    }
    long total = p.total().getAsLong();
    if (terminal) {
      out.print("\r" + bar(p.done(), total, startBytes, nanoTime.getAsLong() - startNanos));
      out.flush();
      barDrawn = true;
      return;
    }
    int tenth = (int) Math.min(10, p.done() * 10 / total);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      out.println("[downloading] " + tenth * 10 + "% (" + p.done() + " of " + total + " bytes)");
    }
  }

  private void endBar() {
    if (barDrawn) {
      out.println();
      barDrawn = false;
    }
  }

  /**
   * One frame of the bar: {@code [downloading] [#####-----] 50% 1.0 MB of 2.0 MB, 512.0 KB/s,
   * 0:02 left}.
   */
  static String bar(long done, long total, long startBytes, long elapsedNanos) {
    int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
    long percent = Math.min(100, done * 100 / total);
    StringBuilder b = new StringBuilder("[downloading] [");
    b.append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ")
        .append(String.format(Locale.ROOT, "%3d%% ", percent))
        .append(bytes(done)).append(" of ").append(bytes(total));
    double seconds = elapsedNanos / 1e9;
    long moved = done - startBytes;
    if (seconds > 0 && moved > 0) {
      double rate = moved / seconds;
      long left = (long) Math.ceil((total - done) / rate);
      b.append(", ").append(bytes((long) rate)).append("/s, ")
          .append(String.format(Locale.ROOT, "%d:%02d left", left / 60, left % 60));
    }
    return b.append("   ").toString(); // blanks wipe the end of a longer earlier frame
  }

  /** Bytes for people: {@code 512 B}, {@code 1.5 KB}, {@code 48.2 MB}, {@code 1.1 GB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static String stepName(Step step) {
    return step.name().toLowerCase(Locale.ROOT);
  }
}
