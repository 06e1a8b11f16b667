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

  /** Quotes {@code s} for bash. */
  static String q(Object s) {
    return "'" + s.toString().replace("'", "'\\''") + "'";
  }
}
