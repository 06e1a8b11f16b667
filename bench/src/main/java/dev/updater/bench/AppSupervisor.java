package dev.updater.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The downtime figure's service manager, as systemd with {@code Restart=on-failure} would be:
 * starts {@code <home>/current/bin/start} and starts it again from whatever {@code current} points
 * at whenever it exits with code 75 (the example application's restart); any other exit ends the
 * supervision. It notes when each process was started and when each ended, for the breakdown of
 * the downtime.
 *
 * <pre>{@code
 * try (AppSupervisor s = AppSupervisor.start(home, env, logs)) { ... s.events() ... }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} kills the running process and its descendants.
 */
final class AppSupervisor implements AutoCloseable {
  private static final int RESTART_CODE = 75;

  /**
   * A start or an exit.
   *
   * @param nanos when ({@link System#nanoTime()}): just after the process was forked, or just
   *     after its exit was seen
   * @param started true for a start, false for an exit
   * @param detail the release directory started, or the exit code
   */
  record Event(long nanos, boolean started, String detail) {}

  private final Path home;
  private final Map<String, String> environment;
  private final Path logs;
  private final List<Event> events = new ArrayList<>();
  private final Thread loop;
  private Process process;
  private boolean closed;
  private String stopped;
  private int starts;

  private AppSupervisor(Path home, Map<String, String> environment, Path logs) {
    this.home = home;
    this.environment = Map.copyOf(environment);
    this.logs = logs;
    this.loop = new Thread(this::supervise, "app-supervisor");
    loop.setDaemon(true);
  }

  static AppSupervisor start(Path home, Map<String, String> environment, Path logs) {
    AppSupervisor s = new AppSupervisor(home, environment, logs);
    s.loop.start();
    return s;
  }

  /** The starts and exits so far, oldest first. */
  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** Why supervision stopped, if it did. */
  synchronized Optional<String> stopped() {
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
          Path log = logs.resolve("app-" + (++starts) + ".log");
          ProcessBuilder pb = new ProcessBuilder(release.resolve("bin/start").toString())
              .directory(home.toFile()).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
          pb.environment().putAll(environment);
          process = pb.start();
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
        events.add(new Event(System.nanoTime(), false, Integer.toString(code)));
        if (closed) {
          return;
        }
        if (code != RESTART_CODE) {
          stopped = "the application exited with code " + code + " (see " + logs + "/app-"
              + starts + ".log)";
          return;
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    Process p;
    synchronized (this) {
      closed = true;
      p = process;
    }
    loop.interrupt();
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
