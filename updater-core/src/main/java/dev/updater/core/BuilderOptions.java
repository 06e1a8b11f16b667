package dev.updater.core;

import dev.updater.core.activate.FileLockStore;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.confirm.Watcher;
import dev.updater.core.internal.UpdaterConfig;
import dev.updater.core.spi.Activator;
import dev.updater.core.spi.HealthCheck;
import dev.updater.core.spi.LockStore;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.core.spi.MigrationRunner;
import dev.updater.core.spi.ReleaseGate;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.Restarter;
import dev.updater.core.spi.Stager;
import dev.updater.core.spi.TelemetrySink;
import dev.updater.core.stage.ArchiveStager;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The options of {@link Updater.Builder}: one setter per option, each checking its argument at
 * once and writing it into the {@link UpdaterConfig.Settings} the builder holds; {@link
 * Updater.Builder#build()} checks the whole and hands the engine a copy. Package-private: hosts
 * see these methods as {@link Updater.Builder}'s own.
 *
 * <p>Not thread-safe.
 */
abstract class BuilderOptions {
  /** What the setters fill; copied by {@link Updater.Builder#build()}, never handed out. */
  final UpdaterConfig.Settings settings = new UpdaterConfig.Settings();
  /** The environment variable {@link #modeFromEnv} named, and its value then. */
  String modeVariable;
  String modeValue;

  BuilderOptions() {}

  private Updater.Builder self() {
    return (Updater.Builder) this;
  }

  /** The install's home directory (see {@link Layout}). Required. */
  public Updater.Builder home(Path home) {
    settings.home = Objects.requireNonNull(home, "home");
    return self();
  }

  /** Where releases come from. Required. */
  public Updater.Builder source(ReleaseSource source) {
    settings.source = Objects.requireNonNull(source, "source");
    return self();
  }

  /** The release channel to follow, such as {@code stable} (the default) or {@code beta}. */
  public Updater.Builder channel(String channel) {
    Objects.requireNonNull(channel, "channel");
    if (!channel.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("channel '" + channel
          + "' must start with a letter or digit and hold only letters, digits, '.', '_', '-'");
    }
    settings.channel = channel;
    return self();
  }

  /**
   * The application whose releases this install takes: the {@code application} field the
   * channel's index must carry. An index published for any other application is then refused
   * with {@link UpdateException.Reason#VERIFICATION_FAILED} before its releases are considered
   * or its serial is remembered, so that one signing key may serve several products without
   * one's releases being installable as another's. Not set by default: any name is accepted.
   *
   * @param application the name, as {@code updater publish --application} wrote it
   */
  public Updater.Builder application(String application) {
    Objects.requireNonNull(application, "application");
    if (application.isBlank()) {
      throw new IllegalArgumentException("application must not be blank");
    }
    settings.application = Optional.of(application);
    return self();
  }

  /** How artifacts become release trees; default {@link ArchiveStager#defaults()}. */
  public Updater.Builder stager(Stager stager) {
    settings.stager = Objects.requireNonNull(stager, "stager");
    return self();
  }

  /** How a release goes live; default a {@link SymlinkActivator} on the home. */
  public Updater.Builder activator(Activator activator) {
    settings.activator = Objects.requireNonNull(activator, "activator");
    return self();
  }

  /** The update lock; default a {@link FileLockStore} in {@code .updater/lock.json}. */
  public Updater.Builder lockStore(LockStore lockStore) {
    settings.lockStore = Objects.requireNonNull(lockStore, "lockStore");
    return self();
  }

  /** How long the lock lasts before another process may take it over; default 1 hour. */
  public Updater.Builder lockTtl(Duration lockTtl) {
    Objects.requireNonNull(lockTtl, "lockTtl");
    if (lockTtl.isNegative() || lockTtl.isZero()) {
      throw new IllegalArgumentException("lockTtl must be positive, was " + lockTtl);
    }
    settings.lockTtl = lockTtl;
    return self();
  }

  /** Brings the data forward after activation; default {@link MigrationRunner#NONE}. */
  public Updater.Builder migrationRunner(MigrationRunner migrationRunner) {
    settings.migrationRunner = Objects.requireNonNull(migrationRunner, "migrationRunner");
    return self();
  }

  /** Adds a guard around migrations; guards run in the order added. */
  public Updater.Builder guard(MigrationGuard guard) {
    settings.guards.add(Objects.requireNonNull(guard, "guard"));
    return self();
  }

  /** Adds a gate every release must pass before it is downloaded. */
  public Updater.Builder gate(ReleaseGate gate) {
    settings.gates.add(Objects.requireNonNull(gate, "gate"));
    return self();
  }

  /** Gets the new code running; default {@link Restarter#NONE} (the host restarts itself). */
  public Updater.Builder restarter(Restarter restarter) {
    settings.restarter = Objects.requireNonNull(restarter, "restarter");
    return self();
  }

  /** Confirms the new version works; default {@link HealthCheck#NONE}. */
  public Updater.Builder healthCheck(HealthCheck healthCheck) {
    settings.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
    return self();
  }

  /**
   * How long after the restart a release that was restarted by a {@link Restarter} (not
   * {@link Restarter#NONE}) has to confirm from its own new process ({@link Updater#confirm()})
   * before any updater on the install rolls it back; default 60 s. Recorded in the journal as a
   * deadline when the restart begins.
   */
  public Updater.Builder confirmationTimeout(Duration confirmationTimeout) {
    Objects.requireNonNull(confirmationTimeout, "confirmationTimeout");
    if (confirmationTimeout.isNegative() || confirmationTimeout.isZero()) {
      throw new IllegalArgumentException(
          "confirmationTimeout must be positive, was " + confirmationTimeout);
    }
    settings.confirmationTimeout = confirmationTimeout;
    return self();
  }

  /**
   * How many processes of a restarted release may start without confirming before it is rolled
   * back without waiting for the deadline (a crash loop); default 3. The start after the last
   * allowed one rolls it back.
   */
  public Updater.Builder maxUnconfirmedStarts(int maxUnconfirmedStarts) {
    if (maxUnconfirmedStarts < 1) {
      throw new IllegalArgumentException(
          "maxUnconfirmedStarts must be at least 1, was " + maxUnconfirmedStarts);
    }
    settings.maxUnconfirmedStarts = maxUnconfirmedStarts;
    return self();
  }

  /**
   * Starts a detached {@link Watcher} process just before each restart into a new release: it
   * rolls the release back when it does not confirm by its deadline or crash-loops, even when
   * no updater ever runs on the install again. Default: none, and the deadline is enforced by
   * the next updater that starts on the install. Needs a {@link Restarter} other than
   * {@link Restarter#NONE}, the default lock store and the default activator.
   */
  public Updater.Builder watcher(Watcher watcher) {
    settings.watcher = Optional.of(Objects.requireNonNull(watcher, "watcher"));
    return self();
  }

  /** Adds a listener for progress and notifications. */
  public Updater.Builder listener(UpdateListener listener) {
    settings.listeners.add(Objects.requireNonNull(listener, "listener"));
    return self();
  }

  /**
   * Reports the result of every operation (install, rollback, repair, recovery: succeeded,
   * refused, failed or rolled back, with the versions, the machine-readable reason and the
   * install's random id; no message text) to {@code sink}, after it is written to the history.
   * Opt-in; default: nothing is reported. Delivery is at least once and in order: a result the
   * sink could not take, and one written by a process without the sink (the detached confirmation
   * watcher's rollback, the command-line tool), is sent with the next operation, {@code check},
   * {@code report} or {@code confirm}. The history written before the first run with a sink is not
   * sent. A sink that fails is logged and never changes the operation's outcome.
   *
   * <pre>{@code
   * Updater.builder().reportResults(HttpTelemetrySink.to(URI.create("https://vendor.example/results")))
   * }</pre>
   */
  public Updater.Builder reportResults(TelemetrySink sink) {
    settings.results = Objects.requireNonNull(sink, "sink");
    return self();
  }

  /** Runs {@code hook} before {@code step}; hooks of one step run in the order added. */
  public Updater.Builder before(Step step, Hook hook) {
    settings.before.computeIfAbsent(Objects.requireNonNull(step, "step"), s -> new ArrayList<>())
        .add(Objects.requireNonNull(hook, "hook"));
    return self();
  }

  /** Runs {@code hook} after {@code step} succeeded. */
  public Updater.Builder after(Step step, Hook hook) {
    settings.after.computeIfAbsent(Objects.requireNonNull(step, "step"), s -> new ArrayList<>())
        .add(Objects.requireNonNull(hook, "hook"));
    return self();
  }

  /** The clock for lock expiry and journal times; default the system clock in UTC. */
  public Updater.Builder clock(Clock clock) {
    settings.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * The version this process runs, baked into the host. Lets {@link Updater#status()} tell whether
   * a restart is pending. Default: unknown.
   */
  public Updater.Builder runningVersion(Version runningVersion) {
    settings.runningVersion = Optional.of(
        Objects.requireNonNull(runningVersion, "runningVersion"));
    return self();
  }

  /**
   * The free space an install keeps. The file systems holding the home (the live release, its
   * shared data and the install's state) keep a reserve for the running application: the larger
   * of {@code minBytes} and {@link #freeSpaceReserve the reserve's share} of the file system.
   * Before anything is downloaded, an install is refused with {@code INSUFFICIENT_SPACE} unless
   * the download, the release's expanded size and the reserve fit; while it downloads and
   * extracts it is stopped before the reserve is touched. A release whose signed per-file
   * manifest declares its size is measured by it; one that declares none is assumed to expand to
   * {@code artifactFactor} times its artifact (and is checked again, entry by entry, as it is
   * extracted). Default 150 MB and 3.
   */
  public Updater.Builder freeSpace(long minBytes, double artifactFactor) {
    if (minBytes < 0) {
      throw new IllegalArgumentException("minBytes must not be negative, was " + minBytes);
    }
    if (!(artifactFactor >= 0) || Double.isInfinite(artifactFactor)) {
      throw new IllegalArgumentException(
          "artifactFactor must be a finite number >= 0, was " + artifactFactor);
    }
    settings.minFreeBytes = minBytes;
    settings.freeSpaceFactor = artifactFactor;
    return self();
  }

  /**
   * The share of the home's file system kept free while an update is downloaded and staged, from
   * 0 to 1; the reserve is the larger of this share and {@link #freeSpace}'s {@code minBytes}.
   * Default 0.05 (5 %).
   */
  public Updater.Builder freeSpaceReserve(double fractionOfFileSystem) {
    if (!(fractionOfFileSystem >= 0 && fractionOfFileSystem <= 1)) {
      throw new IllegalArgumentException(
          "fractionOfFileSystem must be between 0 and 1, was " + fractionOfFileSystem);
    }
    settings.freeSpaceReserve = fractionOfFileSystem;
    return self();
  }

  /**
   * How many times the size of its artifact a release's files may hold when no signed per-file
   * manifest declares their size: an archive that expands further (an archive bomb) is refused
   * with {@code ARCHIVE_REJECTED} as soon as its entries say so, before the bytes are written. A
   * release with a manifest is held to the size the manifest declares instead. Default 100; the
   * stager's total cap ({@code ArchiveStager.Builder.maxTotalBytes}) applies as well.
   */
  public Updater.Builder maxInflationRatio(double ratio) {
    if (!(ratio >= 1) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException("ratio must be a finite number >= 1, was " + ratio);
    }
    settings.maxInflationRatio = ratio;
    return self();
  }

  /** Who holds the lock, in logs and lock records; default {@code <hostname>:<pid>}. */
  public Updater.Builder owner(String owner) {
    Objects.requireNonNull(owner, "owner");
    if (owner.isBlank()) {
      throw new IllegalArgumentException("owner must not be blank");
    }
    settings.owner = owner;
    return self();
  }

  /**
   * Whether an index without an {@code expires} time is refused as possibly frozen. Default
   * false: an index without one never expires (an index that has one is always refused once it
   * has expired). Turn it on when every index you publish carries an expiry, so that a
   * repository that drops it is refused too. See {@code docs/signing.md}.
   */
  public Updater.Builder requireExpiry(boolean requireExpiry) {
    settings.requireExpiry = requireExpiry;
    return self();
  }

  /**
   * How long the channel index read by {@link Updater#check(boolean)} or {@link
   * Updater#report(boolean)} answers later calls without {@code force}; default 1 hour. {@link
   * Duration#ZERO} turns the cache off: every check reads the source. The cache lives in this
   * updater's memory only.
   */
  public Updater.Builder checkCacheTtl(Duration checkCacheTtl) {
    Objects.requireNonNull(checkCacheTtl, "checkCacheTtl");
    if (checkCacheTtl.isNegative()) {
      throw new IllegalArgumentException(
          "checkCacheTtl must be zero (no cache) or positive, was " + checkCacheTtl);
    }
    settings.checkCacheTtl = checkCacheTtl;
    return self();
  }

  /**
   * How this install takes updates; default {@link UpdateMode#NOTIFY}. A later
   * {@link #modeFromEnv} whose variable is set overrides it.
   */
  public Updater.Builder mode(UpdateMode mode) {
    settings.mode = Objects.requireNonNull(mode, "mode");
    return self();
  }

  /**
   * Takes the mode from the process environment variable {@code variable} (the host picks the
   * name, such as {@code MYAPP_UPDATE_MODE}): {@code notify}, {@code auto} or {@code disabled},
   * in any case. When the variable is unset or blank, {@link #mode} (or its default) applies.
   * An invalid value fails {@link Updater.Builder#build()} with a message naming the variable and
   * the values it accepts.
   */
  public Updater.Builder modeFromEnv(String variable) {
    return modeFromEnv(variable, System.getenv());
  }

  /** Like {@link #modeFromEnv(String)}, reading {@code variable} from {@code environment}. */
  public Updater.Builder modeFromEnv(String variable, Map<String, String> environment) {
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(environment, "environment");
    if (variable.isBlank()) {
      throw new IllegalArgumentException("the mode's environment variable name must not be blank");
    }
    this.modeVariable = variable;
    this.modeValue = environment.get(variable);
    return self();
  }

  /**
   * The platform whose artifact an install takes from a release that has one per platform;
   * default {@link Platform#current()}, detected from {@code os.name} and {@code os.arch}. A
   * release with artifacts for other platforms only is refused at the CHECK step with {@link
   * UpdateException.Reason#INCOMPATIBLE}, before anything is downloaded.
   */
  public Updater.Builder platform(Platform platform) {
    settings.platform = Objects.requireNonNull(platform, "platform");
    return self();
  }
}
