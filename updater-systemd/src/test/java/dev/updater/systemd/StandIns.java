package dev.updater.systemd;

import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Stand-in {@code pm2}, {@code systemctl} and {@code sudo} executables: small POSIX shell scripts
 * in a bin directory of their own that append their arguments to a calls file, print a configured
 * output and exit with a configured code (or hang). The restarters find them through the PATH of
 * a {@link CommandEnvironment} that holds only that bin directory; the JVM's environment is never
 * touched.
 */
final class StandIns {
  static final Version V1 = Version.of(1, 0, 0);
  static final Version V2 = Version.of(1, 1, 0);

  private final Path root;
  private final Path bin;
  private final Path calls;
  private final Path home;

  private StandIns(Path root) throws IOException {
    this.root = root;
    this.bin = Files.createDirectories(root.resolve("bin"));
    this.calls = Files.createDirectories(root.resolve("calls"));
    this.home = Files.createDirectories(root.resolve("home"));
  }

  static StandIns in(Path dir) throws IOException {
    return new StandIns(dir);
  }

  /** A script named {@code name}; configure it, then {@link Script#install()}. */
  Script command(String name) {
    return new Script(name);
  }

  /** Makes the pm2 daemon look running: {@code $HOME/.pm2/rpc.sock} exists. */
  StandIns pm2DaemonRunning() throws IOException {
    Files.createDirectories(home.resolve(".pm2"));
    Files.writeString(home.resolve(".pm2/rpc.sock"), "");
    return this;
  }

  /** The directory holding the stand-ins. */
  Path bin() {
    return bin;
  }

  /** The private HOME of the stand-ins (pm2's daemon socket lives under it). */
  Path home() {
    return home;
  }

  /** PATH = the stand-ins' bin directory only; HOME = a private directory. */
  CommandEnvironment environment() {
    return environment(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  CommandEnvironment environment(Duration detectionTimeout, Duration restartTimeout) {
    return CommandEnvironment.builder()
        .variable("PATH", bin.toString())
        .variable("HOME", home.toString())
        .detectionTimeout(detectionTimeout)
        .restartTimeout(restartTimeout)
        .build();
  }

  /** The argument lines the stand-in {@code name} was called with, in order. */
  List<String> calls(String name) throws IOException {
    Path file = calls.resolve(name);
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  /** The pid a hanging stand-in wrote for its child {@code sleep}. */
  long hangingChildPid(String name) throws IOException {
    return Long.parseLong(Files.readString(root.resolve(name + ".sleep.pid")).strip());
  }

  /**
   * Waits until process {@code pid} is gone (or a zombie: killed, not yet reaped), at most
   * {@code deadline}; whether it went.
   */
  static boolean awaitGone(long pid, Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      Path stat = Path.of("/proc", Long.toString(pid), "stat");
      boolean zombie = false;
      try {
        zombie = Files.readString(stat).contains(") Z ");
      } catch (IOException gone) {
        // no /proc entry: gone
      }
      if (handle.isEmpty() || zombie) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  UpdateContext context() {
    Layout layout = Layout.of(root.resolve("app"));
    return new UpdateContext(UpdateEvent.Operation.INSTALL, Step.RESTART, Optional.of(V1), V2,
        layout, layout.release(V2));
  }

  static String sleepBinary() {
    return Stream.of("/usr/bin/sleep", "/bin/sleep")
        .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
        .orElseThrow(() -> new IllegalStateException("no sleep binary"));
  }

  /** One stand-in script: for each exact argument line, an output and an exit code. */
  final class Script {
    private final String name;
    private final List<String> cases = new ArrayList<>();

    private Script(String name) {
      this.name = name;
    }

    /** When called with exactly {@code arguments}, print {@code output} and exit {@code code}. */
    Script on(String arguments, int code, String output) {
      cases.add("  " + quote(arguments) + ") printf '%s\\n' " + quote(output) + "; exit " + code
          + " ;;");
      return this;
    }

    /** When called with exactly {@code arguments}, start {@code sleep 30} and wait for it. */
    Script hangOn(String arguments) {
      Path pidFile = root.resolve(name + ".sleep.pid");
      cases.add("  " + quote(arguments) + ") " + sleepBinary() + " 30 & echo $! > "
          + quote(pidFile.toString()) + "; wait; exit 0 ;;");
      return this;
    }

    /**
     * When called with exactly {@code arguments}, restart the app as a supervisor would: stop the
     * process whose id is in {@code pidFile} (its supervisor starts it again) and exit 0.
     */
    Script restartOn(String arguments, Path pidFile) {
      cases.add("  " + quote(arguments) + ") read pid < " + quote(pidFile.toString())
          + "; kill \"$pid\" 2>/dev/null; exit 0 ;;");
      return this;
    }

    StandIns install() throws IOException {
      String script = "#!/bin/sh\n"
          + "printf '%s\\n' \"$*\" >> " + quote(calls.resolve(name).toString()) + "\n"
          + "case \"$*\" in\n" + String.join("\n", cases) + "\n"
          + "esac\n"
          + "echo \"stand-in " + name + ": unexpected arguments: $*\" >&2\n"
          + "exit 64\n";
      Path file = bin.resolve(name);
      Files.writeString(file, script);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      return StandIns.this;
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
