package dev.updater.jdbc.internal;

import dev.updater.jdbc.MigrationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an external command to its end: output and errors merged and logged line by line, a
 * timeout after which the command and its children are killed, and a failure that names the
 * command, its exit code and its last lines. Not API.
 *
 * <p>Stateless and thread-safe.
 */
public final class Commands {
  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);
  private static final int TAIL = 20;

  private Commands() {}

  /**
   * Runs {@code command} in {@code directory} with {@code environment} added to this process's.
   *
   * @param purpose what it does, as in "migrate to 1.2.0", for logs and errors
   * @throws MigrationException when it cannot start, exits non-zero or outlives {@code timeout}
   * @throws InterruptedIOException when this thread is interrupted (the command is killed)
   */
  public static void run(List<String> command, Path directory, Map<String, String> environment,
      Duration timeout, String purpose) throws MigrationException, InterruptedIOException {
    String shown = String.join(" ", command);
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new MigrationException("cannot start '" + shown + "' to " + purpose + " in "
          + directory + ": " + e.getMessage() + "; is " + command.get(0)
          + " installed and on the PATH of this process?", e);
    }
    LOG.info("Running '{}' to {} (pid {})", shown, purpose, process.pid());
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> drain(process, command.get(0), tail), "updater-command-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        reader.join(1000);
        throw new MigrationException("'" + shown + "' did not finish within " + timeout
            + " and was killed; last output:" + lines(tail));
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException(
          "interrupted while '" + shown + "' ran; it was killed");
      interrupted.initCause(e);
      throw interrupted;
    }
    int exit = process.exitValue();
    if (exit != 0) {
      throw new MigrationException("'" + shown + "' failed with exit code " + exit + " while"
          + " trying to " + purpose + "; last output:" + lines(tail));
    }
    LOG.info("'{}' finished", shown);
  }

  private static void drain(Process process, String name, Deque<String> tail) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        LOG.info("[{}] {}", name, line);
        synchronized (tail) {
          if (tail.size() == TAIL) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
      }
    } catch (IOException e) {
      LOG.debug("Stopped reading the output of {}", name, e);
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static String lines(Deque<String> tail) {
    synchronized (tail) {
      return tail.isEmpty() ? " (none)" : "\n  " + String.join("\n  ", tail);
    }
  }
}
