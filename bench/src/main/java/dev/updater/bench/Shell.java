package dev.updater.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs {@code bash -c} command lines for the baselines and times them. */
final class Shell {
  private Shell() {}

  /** Runs {@code script} with bash, in {@code dir}; returns its standard output. */
  static String run(Path dir, String script) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", "set -euo pipefail; " + script))
        .directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IOException("exit " + rc + " from: " + script);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Runs {@code script} and returns how long it took, in seconds (the process start included). */
  static double time(Path dir, String script) throws IOException, InterruptedException {
    long start = System.nanoTime();
    run(dir, script);
    return (System.nanoTime() - start) / 1e9;
  }

  /** Wall-clock and CPU (user + system, of every child process) seconds of one run. */
  record Timing(double wall, double cpu) {}

  /** Runs {@code script} and returns its wall-clock time and the CPU time of its processes. */
  static Timing timeWithCpu(Path dir, String script) throws IOException, InterruptedException {
    Measure.settle(); // as Measure.time does: the earlier runs' writes are not this one's
    long start = System.nanoTime();
    String out = run(dir, script + "\ntimes");
    double wall = (System.nanoTime() - start) / 1e9;
    String[] lines = out.strip().split("\n");
    String[] children = lines[lines.length - 1].trim().split("\\s+");
    return new Timing(wall, seconds(children[0]) + seconds(children[1]));
  }

  /** {@code 1m2.345s} as seconds. */
  private static double seconds(String bashTime) {
    int m = bashTime.indexOf('m');
    return Double.parseDouble(bashTime.substring(0, m)) * 60
        + Double.parseDouble(bashTime.substring(m + 1, bashTime.length() - 1));
  }

  /** Quotes {@code s} for bash. */
  static String q(Object s) {
    return "'" + s.toString().replace("'", "'\\''") + "'";
  }
}
