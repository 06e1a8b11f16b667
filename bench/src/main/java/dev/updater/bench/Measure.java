package dev.updater.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Timing, medians, CPU time and the progress log shared by the figures of the benchmark. */
final class Measure {
  static final double MB = 1024.0 * 1024.0;
  /** No target, or no value. */
  static final double NONE = Double.NaN;

  private Measure() {}

  /** Something to time. */
  interface Work {
    void run() throws Exception;
  }

  /**
   * The wall-clock seconds {@code work} takes, started on a settled disk: the writes of the runs
   * before it (a full install, a deleted scratch tree) are flushed first, outside the timing, so
   * that their write-back does not land in this run's figure.
   */
  static double time(Work work) throws Exception {
    settle();
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /** Flushes every file system's pending writes ({@code sync}) and waits until it is done. */
  static void settle() throws IOException, InterruptedException {
    Process sync = new ProcessBuilder("sync").inheritIO().start();
    if (sync.waitFor() != 0) {
      throw new IOException("sync failed with " + sync.exitValue());
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Prints a {@code #} line; one that announces work (ends with "...") gets the load average. */
  static void log(String message) {
    System.out.println("# " + message + (message.endsWith("...") ? " [load " + load() + "]" : ""));
  }

  /** The 1-minute load average: other work on the machine skews wall-clock ratios. */
  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  /** CPU seconds used so far by this JVM, every thread included (GC, JIT, helper threads). */
  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }
}
