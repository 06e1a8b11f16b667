package dev.updater.core.internal;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import dev.updater.core.confirm.Watcher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the detached {@link WatcherMain} JVM: the same java binary, a class path that holds the
 * library, started through {@code setsid -f} where available (a new session, re-parented away from
 * the host so that a process-tree kill of the host spares it), stdin from {@code /dev/null}, output
 * appended to {@code .updater/watcher.log}. Not API.
 */
public final class WatcherProcess {
  private static final Logger LOG = LoggerFactory.getLogger(WatcherProcess.class);
  static final String LOG_FILE = "watcher.log";

  private WatcherProcess() {}

  /** Starts a watcher for the release {@code target} about to be restarted into. */
  static void start(UpdaterConfig config, Watcher watcher, Optional<Version> from, Version target,
      Instant deadline) throws IOException {
    Layout layout = config.layout();
    List<String> command = new ArrayList<>();
    List<String> wrapper = watcher.wrapper().isEmpty() ? defaultWrapper() : watcher.wrapper();
    command.addAll(wrapper);
    command.add(watcher.java().map(Path::toString).orElseGet(WatcherProcess::thisJava));
    command.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", watcher.classpath().orElseGet(() -> classpath(layout, from)),
        WatcherMain.class.getName(),
        "--home", layout.home().toString(),
        "--target", target.toString(),
        "--host-pid", Long.toString(ProcessHandle.current().pid()),
        "--max-starts", Integer.toString(config.maxUnconfirmedStarts()),
        "--poll-ms", Long.toString(watcher.pollInterval().toMillis()),
        "--command-timeout-ms", Long.toString(watcher.commandTimeout().toMillis()),
        "--lock-ttl-ms", Long.toString(config.lockTtl().toMillis()),
        "--give-up-at", deadline.plus(config.lockTtl()).plusSeconds(60).toString(),
        "--"));
    command.addAll(watcher.restartCommand());
    Files.createDirectories(layout.state());
    ProcessBuilder pb = new ProcessBuilder(command).directory(layout.state().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(
            layout.state().resolve(LOG_FILE).toFile()));
    File devNull = new File("/dev/null");
    if (devNull.exists()) {
      pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
    }
    pb.environment().remove(Confirmation.START_COUNTED_VARIABLE);
    Process p = pb.start();
    if (!wrapper.isEmpty() && wrapper.get(0).endsWith("setsid")) {
      // setsid -f forks the watcher off and exits at once: the watcher is detached when it returns.
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new IOException("'" + String.join(" ", wrapper) + "' did not start the watcher"
              + (p.isAlive() ? " within 10 s" : ": exit " + p.exitValue()) + "; see "
              + layout.state().resolve(LOG_FILE));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting the watcher", e);
      }
    }
    LOG.info("Started the watcher for {} (deadline {}); it logs to {}", target, deadline,
        layout.state().resolve(LOG_FILE));
  }

  /** {@code setsid -f} when the {@code setsid} program is installed; otherwise nothing. */
  private static List<String> defaultWrapper() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return List.of(candidate, "-f");
      }
    }
    return List.of();
  }

  private static String thisJava() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * This JVM's class path with every entry made absolute, and entries under {@code current/} read
   * in the release this process was started from: {@code current} already names the new release.
   */
  public static String classpath(Layout layout, Optional<Version> from) {
    return classpath(layout, from, System.getProperty("java.class.path"),
        Path.of(System.getProperty("user.dir")));
  }

  /** {@code classPath} rewritten as above, relative entries resolved against {@code cwd}. */
  public static String classpath(Layout layout, Optional<Version> from, String classPath, Path cwd) {
    Path current = layout.current();
    List<String> entries = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path p = cwd.resolve(entry).normalize();
      if (from.isPresent() && p.startsWith(current)) {
        p = layout.release(from.get()).resolve(current.relativize(p));
      }
      entries.add(p.toString());
    }
    return String.join(File.pathSeparator, entries);
  }
}
