package dev.updater.core.confirm;

import dev.updater.core.Layout;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.internal.Supervision;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An in-process supervisor for hosts without systemd or pm2 (desktop apps, simple servers): runs
 * the application from the live release, starts it again when it exits with the restart code, and
 * applies the boot-confirmation rule itself, so that a release that never confirms is rolled back
 * even when its JVM never gets as far as running the library (a corrupt jar, a missing main class).
 *
 * <pre>
 * java -cp /opt/myapp/launcher/* dev.updater.core.confirm.Launcher --home /opt/myapp \
 *     [--restart-code 75] [--max-starts 3] -- java -jar {current}/myapp.jar
 * </pre>
 *
 * <p>Before each start it takes the update lock and looks at the journal. When a release awaits
 * confirmation across a restart it applies the deadline and the crash-loop count (rolling back to
 * the previous release when either fires) and, when the awaited release is the one it is about to
 * start, counts that start; the started process learns through the {@code UPDATER_START_COUNTED}
 * environment variable that its start was counted. While the application runs, the launcher watches
 * the deadline: when it passes, the launcher rolls back, stops the application and starts the
 * previous release. When the application exits with any other code, the launcher starts it again
 * if its release still awaits confirmation (a crash of the new release), and otherwise exits with
 * that code.
 *
 * <p>{@code {current}} in the command is replaced by the live release's directory
 * ({@code <home>/releases/<version>}), which is also the working directory. The live release is
 * read the way the home was installed: the {@code current} link, or, in a home installed with
 * {@link dev.updater.core.activate.PointerActivator} (a {@code current.txt} and no {@code current}
 * link) the pointer, which a rollback rewrites; a home installed with
 * {@link dev.updater.core.activate.SingleFileActivator} is recognised by its record. A pointer file
 * with another name than {@code current.txt} is not recognised. Keep the launcher's own
 * jars outside {@code releases/}: they must not change with an update. The application's
 * {@link Updater} uses a restarter that exits with the restart code
 * ({@code Restarters.exitWith(75)} in updater-systemd, or {@code ctx -> System.exit(75)}).
 *
 * <pre>{@code
 * int code = Launcher.builder(Path.of("/opt/myapp"))
 *     .command(List.of("java", "-jar", "{current}/myapp.jar"))
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Not thread-safe: one launcher runs one application at a time.
 */
public final class Launcher {
  /** The exit code that asks for a restart by default: 75 ({@code EX_TEMPFAIL}). */
  public static final int DEFAULT_RESTART_CODE = 75;
  /** How often the launcher looks at the journal while the application runs: 500 ms. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
  /** How long a stopped application has to exit before it is killed: 10 s. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Path home;
  private final List<String> command;
  private final int restartCode;
  private final int maxUnconfirmedStarts;
  private final Duration pollInterval;
  private final Duration stopTimeout;
  private final Clock clock;
  private volatile Process child;

  private Launcher(Builder b) {
    this.home = b.home;
    this.command = List.copyOf(b.command);
    this.restartCode = b.restartCode;
    this.maxUnconfirmedStarts = b.maxUnconfirmedStarts;
    this.pollInterval = b.pollInterval;
    this.stopTimeout = b.stopTimeout;
    this.clock = b.clock;
  }

  /** A builder for a launcher of the install at {@code home}; {@link Builder#command} is required. */
  public static Builder builder(Path home) {
    return new Builder(home);
  }

  /**
   * Runs the application until it exits with a code other than the restart code while no release
   * awaits confirmation; returns that code.
   *
   * @throws IllegalStateException when no release is live
   * @throws IOException when the application cannot be started
   */
  public int run() throws IOException, InterruptedException {
    long pid = ProcessHandle.current().pid();
    Supervision supervision = Supervision.of(home, maxUnconfirmedStarts, ctx -> stopChild(),
        "launcher:" + pid, Updater.Builder.DEFAULT_LOCK_TTL, "the launcher, process " + pid, clock);
    Thread stopOnExit = new Thread(this::stopChild, "launcher-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    try {
      while (true) {
        Supervision.Result before = settle(supervision, Supervision.Start.COUNT);
        Supervision.Snapshot s = supervision.snapshot();
        Version live = supervision.active().orElseThrow(() -> new IllegalStateException(
            "no release is live in " + home + "; install one before starting the launcher"));
        boolean awaited = s.awaitingConfirmation() && s.to().equals(Optional.of(live));
        Optional<Instant> counted = before == Supervision.Result.AWAITING && awaited
            ? s.confirmBy() : Optional.empty();
        if (awaited) {
          say("starting " + live + ", which awaits confirmation until " + s.confirmBy().orElseThrow()
              + " (start " + s.starts() + " of at most " + maxUnconfirmedStarts + ")");
        } else {
          say("starting " + live);
        }
        Process p = launch(supervision.layout(), live, counted);
        boolean rolledBack = watch(supervision, p, live);
        int code = p.exitValue();
        if (rolledBack) {
          say(live + " was rolled back while it ran; starting the previous release");
          continue;
        }
        if (code == restartCode) {
          say(live + " exited with the restart code " + code + "; starting the live release");
          continue;
        }
        Supervision.Snapshot after = supervision.snapshot();
        if (after.awaitingConfirmation() && after.to().equals(Optional.of(live))) {
          say(live + " exited with " + code + " before it confirmed; starting it again");
          continue;
        }
        say(live + " exited with " + code);
        return code;
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  /** Waits for {@code p} to exit, rolling back when the deadline of {@code live} passes. */
  private boolean watch(Supervision supervision, Process p, Version live)
      throws InterruptedException {
    while (!p.waitFor(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
      Supervision.Snapshot s = supervision.snapshot();
      if (s.awaitingConfirmation() && s.to().equals(Optional.of(live))
          && !clock.instant().isBefore(s.confirmBy().orElseThrow())) {
        if (settle(supervision, Supervision.Start.DONT_COUNT) == Supervision.Result.ROLLED_BACK) {
          stopChild();
          p.waitFor();
          return true;
        }
      }
    }
    return false;
  }

  private Supervision.Result settle(Supervision supervision, Supervision.Start start) {
    try {
      Supervision.Result r = supervision.settle(start);
      if (r == Supervision.Result.ROLLED_BACK) {
        say("rolled back: " + supervision.active().map(v -> v + " is live again")
            .orElse("no release is live"));
      } else if (r == Supervision.Result.BUSY) {
        say("another process holds the update lock; starting without a decision");
      }
      return r;
    } catch (UpdateException e) {
      say("could not apply the confirmation rule: " + e.getMessage());
      return Supervision.Result.BUSY;
    }
  }

  private Process launch(Layout layout, Version live, Optional<Instant> counted)
      throws IOException {
    Path dir = layout.release(live);
    List<String> resolved = new ArrayList<>(command.size());
    for (String arg : command) {
      resolved.add(arg.replace("{current}", dir.toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(resolved).directory(dir.toFile()).inheritIO();
    pb.environment().remove("UPDATER_START_COUNTED");
    counted.ifPresent(deadline -> pb.environment().put("UPDATER_START_COUNTED",
        deadline.toString()));
    pb.environment().put("UPDATER_HOME", layout.home().toString());
    Process p = pb.start();
    child = p;
    return p;
  }

  /** Stops the running application: SIGTERM, then a kill after the stop timeout. */
  private void stopChild() {
    Process p = child;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void say(String line) {
    System.err.println("launcher: " + line);
    System.err.flush();
  }

  /**
   * Runs a launcher: {@code --home H [--restart-code 75] [--max-starts 3] [--poll-ms 500]
   * -- command ...}, and exits with the application's last exit code (64 for a usage error).
   */
  public static void main(String[] args) throws Exception {
    Builder b;
    try {
      b = parse(args);
    } catch (RuntimeException e) {
      System.err.println("launcher: " + e.getMessage());
      System.err.println("usage: Launcher --home DIR [--restart-code N] [--max-starts N]"
          + " [--poll-ms N] -- command [args...]   ({current} = the live release directory)");
      System.exit(64);
      return;
    }
    System.exit(b.build().run());
  }

  static Builder parse(String[] args) {
    Path home = null;
    List<String> command = new ArrayList<>();
    Integer restart = null;
    Integer starts = null;
    Long poll = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        command.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String value = args[++i];
      switch (a) {
        case "--home" -> home = Path.of(value);
        case "--restart-code" -> restart = Integer.parseInt(value);
        case "--max-starts" -> starts = Integer.parseInt(value);
        case "--poll-ms" -> poll = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (home == null) {
      throw new IllegalArgumentException("--home is required");
    }
    Builder b = builder(home).command(command);
    if (restart != null) {
      b.restartCode(restart);
    }
    if (starts != null) {
      b.maxUnconfirmedStarts(starts);
    }
    if (poll != null) {
      b.pollInterval(Duration.ofMillis(poll));
    }
    return b;
  }

  /** Configures a {@link Launcher}. Setters reject bad values at once. Not thread-safe. */
  public static final class Builder {
    private final Path home;
    private List<String> command = List.of();
    private int restartCode = DEFAULT_RESTART_CODE;
    private int maxUnconfirmedStarts = Updater.Builder.DEFAULT_MAX_UNCONFIRMED_STARTS;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private Clock clock = Clock.systemUTC();

    private Builder(Path home) {
      this.home = Objects.requireNonNull(home, "home").toAbsolutePath().normalize();
    }

    /** The application's command line, run without a shell; {@code {current}} as above. */
    public Builder command(List<String> command) {
      Objects.requireNonNull(command, "command");
      if (command.isEmpty() || command.get(0).isBlank()) {
        throw new IllegalArgumentException("command must name a program to run, after --");
      }
      this.command = new ArrayList<>(command);
      return this;
    }

    /** The exit code with which the application asks to be started again; default 75. */
    public Builder restartCode(int restartCode) {
      if (restartCode < 1 || restartCode > 255) {
        throw new IllegalArgumentException("restartCode must be 1..255, was " + restartCode);
      }
      this.restartCode = restartCode;
      return this;
    }

    /**
     * How many starts of a release awaiting confirmation may go unconfirmed before it is rolled
     * back; default 3, as for {@link Updater.Builder#maxUnconfirmedStarts}. Use the same value.
     */
    public Builder maxUnconfirmedStarts(int maxUnconfirmedStarts) {
      if (maxUnconfirmedStarts < 1) {
        throw new IllegalArgumentException(
            "maxUnconfirmedStarts must be at least 1, was " + maxUnconfirmedStarts);
      }
      this.maxUnconfirmedStarts = maxUnconfirmedStarts;
      return this;
    }

    /** How often the journal is read while the application runs; default 500 ms. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /** How long a stopped application has to exit before it is killed; default 10 s. */
    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = positive(stopTimeout, "stopTimeout");
      return this;
    }

    /** The clock for the deadline; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the launcher.
     *
     * @throws IllegalStateException when no command was given
     */
    public Launcher build() {
      if (command.isEmpty()) {
        throw new IllegalStateException("Launcher.builder(home) is missing command(...): the"
            + " application's command line, for example java -jar {current}/myapp.jar");
      }
      return new Launcher(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
