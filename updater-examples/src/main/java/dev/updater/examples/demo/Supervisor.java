package dev.updater.examples.demo;

import dev.updater.examples.app.ExampleApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the example application as a service manager would: starts {@code <home>/current/bin/start}
 * and, whenever the process exits with {@link ExampleApp#RESTART_CODE}, starts it again from
 * whatever {@code current} points at then. Any other exit ends the supervision. Each process's
 * output goes to {@code app-<n>.log} in the log directory.
 *
 * <p>This is the demo's stand-in for systemd ({@code Restart=on-failure}) and is kept apart so a
 * launcher can replace it. {@link #close()} kills the running process and its descendants.
 * Thread-safe.
 */
public final class Supervisor implements AutoCloseable {
  /**
   * One process the supervisor started.
   *
   * @param release the release directory it was started from
   * @param pid its process id
   * @param log its output
   */
  record Start(Path release, long pid, Path log) {
    String version() {
      return release.getFileName().toString();
    }
  }

  /**
   * A start or an exit, with when it was seen (the benchmark times downtime from these).
   *
   * @param nanos {@link System#nanoTime()} just after the process was forked, or just after its
   *     exit was seen
   * @param started true for a start, false for an exit
   * @param detail the version started, or the exit code
   */
  public record Event(long nanos, boolean started, String detail) {}

  private final Path home;
  private final Map<String, String> environment;
  private final Path logs;
  private final List<Start> starts = new ArrayList<>();
  private final List<Integer> exits = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private final Thread loop;
  private Process process;
  private boolean closed;
  private String stopped;

  private Supervisor(Path home, Map<String, String> environment, Path logs) {
    this.home = home;
    this.environment = Map.copyOf(environment);
    this.logs = logs;
    this.loop = new Thread(this::supervise, "supervisor");
    loop.setDaemon(true);
  }

  /** Starts supervising the application of {@code home} with {@code environment} added. */
  public static Supervisor start(Path home, Map<String, String> environment, Path logs)
      throws IOException {
    Files.createDirectories(logs);
    Supervisor s = new Supervisor(home, environment, logs);
    s.loop.start();
    return s;
  }

  /** The processes started so far, oldest first. */
  synchronized List<Start> starts() {
    return List.copyOf(starts);
  }

  /** The starts and exits so far, oldest first. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The exit codes of the processes that ended, oldest first. */
  synchronized List<Integer> exits() {
    return List.copyOf(exits);
  }

  /** Why supervision stopped (an unexpected exit or a failed start), if it did. */
  public synchronized Optional<String> stopped() {
    return Optional.ofNullable(stopped);
  }

  private void supervise() {
    while (true) {
      Process p;
      synchronized (this) {
        if (closed) {
          return;
        }
        try {
          Path release = home.resolve("current").toRealPath();
          Path log = logs.resolve("app-" + (starts.size() + 1) + ".log");
          ProcessBuilder pb = new ProcessBuilder(release.resolve("bin/start").toString())
              .directory(home.toFile()).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
          pb.environment().putAll(environment);
          pb.environment().put("JAVA",
              Path.of(System.getProperty("java.home"), "bin", "java").toString());
          process = pb.start();
          starts.add(new Start(release, process.pid(), log));
          events.add(new Event(System.nanoTime(), true, release.getFileName().toString()));
          p = process;
        } catch (IOException e) {
          stopped = "could not start the application: " + e;
          return;
        }
      }
      int code;
      try {
        code = p.waitFor();
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        exits.add(code);
        events.add(new Event(System.nanoTime(), false, Integer.toString(code)));
        if (closed) {
          return;
        }
        if (code != ExampleApp.RESTART_CODE) {
          stopped = "the application exited with code " + code + " (see "
              + starts.get(starts.size() - 1).log() + ")";
          return;
        }
      }
    }
  }

  /** Stops supervising and kills the running process and its descendants; waits for them. */
  @Override
  public void close() {
    Process p;
    synchronized (this) {
      closed = true;
      p = process;
    }
    loop.interrupt();
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
