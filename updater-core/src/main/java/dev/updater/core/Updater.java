package dev.updater.core;

import dev.updater.core.activate.FileLockStore;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.confirm.Watcher;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.internal.DefaultUpdater;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Updates one install of a host application: finds a newer release, downloads and verifies it,
 * stages it beside the running one, switches over atomically, migrates, restarts, confirms, and
 * rolls back by itself when a step fails.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(Path.of("/opt/myapp"))
 *     .source(DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp")))
 *     .runningVersion(Version.parse(BuildInfo.VERSION))
 *     .build();
 * updater.check().ifPresent(updater::install);
 * }</pre>
 *
 * <p>Every operation that changes the install ({@link #install}, {@link #downgrade},
 * {@link #rollback}, {@link #repair}, {@link #clearError}, {@link #unquarantine}) takes the update
 * lock first and fails with {@link UpdateException.Reason#LOCKED} when another operation holds it.
 * Before it does anything else, an operation recovers an update that a crashed or killed process
 * left unfinished (see {@link #recover()}), so the install is always exactly the old or exactly the
 * new release.
 *
 * <p>Thread-safe: one instance may be shared by a scheduler and an admin endpoint.
 */
public interface Updater {

  /** A builder for an updater; {@link Builder#home} and {@link Builder#source} are required. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the newest release on the configured channel that is newer than the installed one
   * and whose staged rollout includes this install ({@link Release#rollout()}), or empty when the
   * install is up to date; the same as {@link #check(boolean) check(false)}: a result less than
   * {@link Builder#checkCacheTtl} old is answered from the cache.
   */
  default Optional<Release> check() {
    return check(false);
  }

  /**
   * Returns the newest release on the configured channel that is newer than the installed one,
   * whose staged rollout includes this install ({@link Release#rollout()}) and which this install
   * has not quarantined ({@link #quarantined()}), or empty when the install is up to date. Changes
   * nothing but the trust state.
   *
   * <p>The channel's index is read from the source and kept for {@link Builder#checkCacheTtl} (1
   * hour by default) in this updater's memory; until then a check without {@code force} answers
   * from that index, judged against the installed version and the clock at the time of the call
   * (so an install in between, or the index's expiry, is taken into account). {@code force} reads
   * the source again. Failures are never cached.
   *
   * <p>The channel's index must be fresh: its serial not lower than the highest this install has
   * trusted, not the same serial with other content, and not expired at the time the check
   * started. A fresh index with a higher serial is remembered in {@code .updater/trust.json}. See
   * {@code docs/freshness-and-rollout.md}.
   *
   * @param force read the source even when a cached index is recent enough
   * @throws UpdateException with {@code SOURCE_UNAVAILABLE} when the repository cannot be read,
   *     {@code VERIFICATION_FAILED} when its index is not valid, is a replayed or changed old
   *     index, or has expired ("cannot obtain fresh metadata")
   */
  Optional<Release> check(boolean force);

  /**
   * Checks like {@link #check(boolean)} and reports what an admin panel shows: running, installed
   * and latest version, whether a restart is pending, whether an update is available and whether
   * it is compatible with this install, the gates' facts (such as the database provider), and
   * when the source was read. Compatibility runs the upgrade-path rule and every {@link
   * dev.updater.core.spi.ReleaseGate} on the update, without downloading or changing anything; an
   * incompatible update is reported, never thrown, and so is a gate that cannot decide (its
   * failure is the reason). Free space and the install's layout are checked by {@link #install},
   * not here.
   *
   * @param force read the source even when a cached index is recent enough
   * @throws UpdateException as {@link #check(boolean)} does: the source cannot be read, or its
   *     index fails verification or freshness
   */
  CheckReport report(boolean force);

  /**
   * Returns the release with exactly {@code version} on the configured channel, if listed, whether
   * or not this install is in its staged rollout. The index must be fresh, as for {@link #check()}.
   */
  Optional<Release> find(Version version);

  /**
   * Installs {@code release}: the full pipeline from gates to confirmation. Returns
   * {@link UpdateResult.UpToDate} when it is already live.
   *
   * <p>A release that is quarantined ({@link #quarantined()}) is installed all the same: naming it
   * is the operator's decision, and once the install completes its quarantine is lifted. A failure
   * after the switch, which puts the previous release back, quarantines {@code release}; a failure
   * before it (download, verification, staging) does not.
   *
   * @throws UpdateException when a gate refuses it ({@code DOWNGRADE_REFUSED} for an older
   *     release, use {@link #downgrade}; {@code INCOMPATIBLE} for a release whose staged rollout
   *     does not include this install, use {@link #installOutsideRollout}) or a step fails; the
   *     install is then as it was before
   */
  UpdateResult install(Release release);

  /**
   * Installs {@code release} even though it is older than the live release. A downgrade names its
   * release on purpose, so it is not held back by the release's staged rollout either.
   */
  UpdateResult downgrade(Release release);

  /**
   * Installs {@code release} even when its staged rollout does not include this install, or has
   * been halted: for an operator who asks for this exact release. Every other gate still applies;
   * an older release still needs {@link #downgrade}.
   */
  UpdateResult installOutsideRollout(Release release);

  /**
   * Switches back to the previous release recorded in the journal, restarts and confirms it.
   * Migrations are not undone: they are expected to be forward-compatible. The release rolled back
   * from is quarantined ({@link #quarantined()}), so that a scheduler does not install it again.
   *
   * @throws UpdateException with {@code INVALID_STATE} when no previous release is recorded
   */
  UpdateResult rollback();

  /**
   * Repairs the live release in place: links shared paths again, re-runs the {@link Step#STAGE}
   * hooks on it (reinstalling dependencies), runs migrations with their guards, restarts and
   * confirms.
   */
  UpdateResult repair();

  /**
   * Discards a failed status so the panel shows the install as idle; history keeps the failure.
   * Does not lift a quarantine ({@link #unquarantine(Version)} does).
   */
  void clearError();

  /**
   * The releases this install rolled back and no longer offers: newer than the live release,
   * oldest first; empty when there are none. Reads {@code .updater/quarantine.json} only (no
   * source, no lock); an unreadable file reads as empty, with a warning in the log.
   *
   * <p>A release is quarantined when it is rolled back after it went live: by the install itself
   * (a hook, migration, restart or health check failing after the switch), by its boot
   * confirmation (deadline, crash-loop count, failed health check, also when the {@link Watcher}
   * decides), or by {@link #rollback()}. {@link #check(boolean)}, {@link #report(boolean)} and the
   * {@link UpdateScheduler} pass it over; a newer release is offered as usual. An entry disappears
   * once the version is no longer newer than the live release.
   */
  List<QuarantinedRelease> quarantined();

  /**
   * Lifts the quarantine of {@code version} without installing it, so that the next check offers
   * it again (an {@link UpdateMode#AUTO} scheduler then installs it): for an operator who fixed
   * what made it fail, such as the database or the configuration.
   *
   * <p>Separate from {@link #clearError()} on purpose: clearing a failed status is routine
   * housekeeping in a panel, and if it also lifted the quarantine a scheduler would reinstall the
   * release that just failed at its next tick. Takes the update lock.
   *
   * @return true when {@code version} was quarantined; false when it was not (nothing changes)
   * @throws UpdateException with {@code LOCKED} when another operation holds the lock, {@code
   *     IO_ERROR} when the quarantine file cannot be written
   */
  boolean unquarantine(Version version);

  /**
   * Finishes or undoes an update that a crashed or killed process left unfinished, when no live
   * process holds the lock. Every other operation does this first; a host may call it at start-up.
   *
   * @return true when something was recovered
   */
  boolean recover();

  /**
   * The current state, read from the journal. Recovers an abandoned update first when it can.
   *
   * <p>In a process whose {@link Builder#runningVersion} is the release awaiting confirmation, and
   * when that release is also the installed one, this confirms it like {@link #confirm()} does
   * (running the health check), except that a failed check only leaves it awaiting: the deadline
   * or the crash-loop count decides. Prefer calling {@link #confirm()} at start-up.
   */
  UpdateStatus status();

  /**
   * Confirms, from the new process, the release that the previous process restarted into. A host
   * calls this at start-up, once it is ready to serve:
   *
   * <pre>{@code
   * UpdateStatus s = updater.confirm();   // no-op when nothing awaits confirmation
   * }</pre>
   *
   * <p>When the journal says that release {@code V} awaits confirmation and this process's
   * {@link Builder#runningVersion} is {@code V} (an unknown running version never confirms), this
   * takes the update lock over from the process that restarted, runs the health check, and on
   * success completes the update: journal complete, the release before it recorded as previous,
   * history {@code SUCCEEDED}, the failure record cleared, the lock released. When the check fails
   * the previous release is made live again and restarted through the {@link Restarter} (which may
   * end this process) and the status shows {@code HEALTH_CHECK_FAILED}.
   *
   * <p>Before that it counts this start, and rolls back when the deadline passed or too many starts
   * went unconfirmed (see {@link Builder#confirmationTimeout}, {@link Builder#maxUnconfirmedStarts}).
   * When another live process holds the lock (the updater that restarted is still running its own
   * confirmation) nothing is done. Never throws for a failed health check; returns the status after
   * the decision.
   */
  UpdateStatus confirm();

  /** Every operation recorded on this install, oldest first. */
  List<HistoryEntry> history();

  /** The install's directories. */
  Layout layout();

  /**
   * How this install takes updates, as the builder set it ({@link Builder#mode},
   * {@link Builder#modeFromEnv}); {@link UpdateMode#NOTIFY} by default. Read by the
   * {@link UpdateScheduler}; it does not restrict the explicit operations of this interface.
   */
  UpdateMode mode();

  /**
   * Downloads and verifies the primary artifact of {@code release} in the background of a running
   * install, into {@code .updater/prefetch/}, without taking the update lock or changing the live
   * release; a later {@link #install} of the same release takes that copy instead of downloading
   * again, after checking its size and SHA-256 again from disk. Returns at once when a verified
   * copy is already there. Pre-downloading a newer release drops the copies of other releases.
   *
   * <p>Only one pre-download runs at a time per home (an OS file lock); a second caller waits for
   * it. Safe to call while an install runs.
   *
   * @throws UpdateException with {@code SOURCE_UNAVAILABLE} when the source fails (a partial file
   *     is kept to resume from), {@code VERIFICATION_FAILED} when the bytes do not match
   *     (they are deleted), {@code IO_ERROR} when the home cannot be written
   */
  void prefetch(Release release);

  /** True when a verified pre-downloaded copy of {@code release}'s artifact is waiting. */
  boolean isPrefetched(Release release);

  /**
   * Configures an {@link Updater}. Setters reject {@code null} at once and return {@code this};
   * {@link #build()} checks that the required parts are present. Not thread-safe.
   */
  final class Builder {
    /** The free space required before a download by default: 150 MB. */
    public static final long DEFAULT_MIN_FREE_BYTES = 150L * 1024 * 1024;
    /** By default the free space must also be this multiple of the artifact size. */
    public static final double DEFAULT_FREE_SPACE_FACTOR = 3.0;
    /** How long an update lock lasts before another process may take it over: 1 hour. */
    public static final Duration DEFAULT_LOCK_TTL = Duration.ofHours(1);
    /** How long a restarted release has to confirm before it is rolled back: 60 s. */
    public static final Duration DEFAULT_CONFIRMATION_TIMEOUT = Duration.ofSeconds(60);
    /** How many starts of a restarted release may go unconfirmed before it is rolled back: 3. */
    public static final int DEFAULT_MAX_UNCONFIRMED_STARTS = 3;
    /** How long a channel index read by a check answers later checks: 1 hour. */
    public static final Duration DEFAULT_CHECK_CACHE_TTL = Duration.ofHours(1);

    private Path home;
    private ReleaseSource source;
    private String channel = "stable";
    private String application;
    private Stager stager;
    private Activator activator;
    private LockStore lockStore;
    private Duration lockTtl = DEFAULT_LOCK_TTL;
    private MigrationRunner migrationRunner = MigrationRunner.NONE;
    private final List<MigrationGuard> guards = new ArrayList<>();
    private final List<ReleaseGate> gates = new ArrayList<>();
    private Restarter restarter = Restarter.NONE;
    private HealthCheck healthCheck = HealthCheck.NONE;
    private Duration confirmationTimeout = DEFAULT_CONFIRMATION_TIMEOUT;
    private int maxUnconfirmedStarts = DEFAULT_MAX_UNCONFIRMED_STARTS;
    private final List<UpdateListener> listeners = new ArrayList<>();
    private final Map<Step, List<Hook>> before = new EnumMap<>(Step.class);
    private final Map<Step, List<Hook>> after = new EnumMap<>(Step.class);
    private Clock clock = Clock.systemUTC();
    private Version runningVersion;
    private long minFreeBytes = DEFAULT_MIN_FREE_BYTES;
    private double freeSpaceFactor = DEFAULT_FREE_SPACE_FACTOR;
    private String owner;
    private boolean requireExpiry;
    private Duration checkCacheTtl = DEFAULT_CHECK_CACHE_TTL;
    private Watcher watcher;
    private UpdateMode mode = UpdateMode.NOTIFY;
    private String modeVariable;
    private String modeValue;

    Builder() {}

    /** The install's home directory (see {@link Layout}). Required. */
    public Builder home(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /** Where releases come from. Required. */
    public Builder source(ReleaseSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The release channel to follow, such as {@code stable} (the default) or {@code beta}. */
    public Builder channel(String channel) {
      Objects.requireNonNull(channel, "channel");
      if (!channel.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException("channel '" + channel
            + "' must start with a letter or digit and hold only letters, digits, '.', '_', '-'");
      }
      this.channel = channel;
      return this;
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
    public Builder application(String application) {
      Objects.requireNonNull(application, "application");
      if (application.isBlank()) {
        throw new IllegalArgumentException("application must not be blank");
      }
      this.application = application;
      return this;
    }

    /** How artifacts become release trees; default {@link ArchiveStager#defaults()}. */
    public Builder stager(Stager stager) {
      this.stager = Objects.requireNonNull(stager, "stager");
      return this;
    }

    /** How a release goes live; default a {@link SymlinkActivator} on the home. */
    public Builder activator(Activator activator) {
      this.activator = Objects.requireNonNull(activator, "activator");
      return this;
    }

    /** The update lock; default a {@link FileLockStore} in {@code .updater/lock.json}. */
    public Builder lockStore(LockStore lockStore) {
      this.lockStore = Objects.requireNonNull(lockStore, "lockStore");
      return this;
    }

    /** How long the lock lasts before another process may take it over; default 1 hour. */
    public Builder lockTtl(Duration lockTtl) {
      Objects.requireNonNull(lockTtl, "lockTtl");
      if (lockTtl.isNegative() || lockTtl.isZero()) {
        throw new IllegalArgumentException("lockTtl must be positive, was " + lockTtl);
      }
      this.lockTtl = lockTtl;
      return this;
    }

    /** Brings the data forward after activation; default {@link MigrationRunner#NONE}. */
    public Builder migrationRunner(MigrationRunner migrationRunner) {
      this.migrationRunner = Objects.requireNonNull(migrationRunner, "migrationRunner");
      return this;
    }

    /** Adds a guard around migrations; guards run in the order added. */
    public Builder guard(MigrationGuard guard) {
      guards.add(Objects.requireNonNull(guard, "guard"));
      return this;
    }

    /** Adds a gate every release must pass before it is downloaded. */
    public Builder gate(ReleaseGate gate) {
      gates.add(Objects.requireNonNull(gate, "gate"));
      return this;
    }

    /** Gets the new code running; default {@link Restarter#NONE} (the host restarts itself). */
    public Builder restarter(Restarter restarter) {
      this.restarter = Objects.requireNonNull(restarter, "restarter");
      return this;
    }

    /** Confirms the new version works; default {@link HealthCheck#NONE}. */
    public Builder healthCheck(HealthCheck healthCheck) {
      this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
      return this;
    }

    /**
     * How long after the restart a release that was restarted by a {@link Restarter} (not
     * {@link Restarter#NONE}) has to confirm from its own new process ({@link Updater#confirm()})
     * before any updater on the install rolls it back; default 60 s. Recorded in the journal as a
     * deadline when the restart begins.
     */
    public Builder confirmationTimeout(Duration confirmationTimeout) {
      Objects.requireNonNull(confirmationTimeout, "confirmationTimeout");
      if (confirmationTimeout.isNegative() || confirmationTimeout.isZero()) {
        throw new IllegalArgumentException(
            "confirmationTimeout must be positive, was " + confirmationTimeout);
      }
      this.confirmationTimeout = confirmationTimeout;
      return this;
    }

    /**
     * How many processes of a restarted release may start without confirming before it is rolled
     * back without waiting for the deadline (a crash loop); default 3. The start after the last
     * allowed one rolls it back.
     */
    public Builder maxUnconfirmedStarts(int maxUnconfirmedStarts) {
      if (maxUnconfirmedStarts < 1) {
        throw new IllegalArgumentException(
            "maxUnconfirmedStarts must be at least 1, was " + maxUnconfirmedStarts);
      }
      this.maxUnconfirmedStarts = maxUnconfirmedStarts;
      return this;
    }

    /**
     * Starts a detached {@link Watcher} process just before each restart into a new release: it
     * rolls the release back when it does not confirm by its deadline or crash-loops, even when
     * no updater ever runs on the install again. Default: none, and the deadline is enforced by
     * the next updater that starts on the install. Needs a {@link Restarter} other than
     * {@link Restarter#NONE}, the default lock store and the default activator.
     */
    public Builder watcher(Watcher watcher) {
      this.watcher = Objects.requireNonNull(watcher, "watcher");
      return this;
    }

    /** Adds a listener for progress and notifications. */
    public Builder listener(UpdateListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Runs {@code hook} before {@code step}; hooks of one step run in the order added. */
    public Builder before(Step step, Hook hook) {
      before.computeIfAbsent(Objects.requireNonNull(step, "step"), s -> new ArrayList<>())
          .add(Objects.requireNonNull(hook, "hook"));
      return this;
    }

    /** Runs {@code hook} after {@code step} succeeded. */
    public Builder after(Step step, Hook hook) {
      after.computeIfAbsent(Objects.requireNonNull(step, "step"), s -> new ArrayList<>())
          .add(Objects.requireNonNull(hook, "hook"));
      return this;
    }

    /** The clock for lock expiry and journal times; default the system clock in UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The version this process runs, baked into the host. Lets {@link #status()} tell whether a
     * restart is pending. Default: unknown.
     */
    public Builder runningVersion(Version runningVersion) {
      this.runningVersion = Objects.requireNonNull(runningVersion, "runningVersion");
      return this;
    }

    /**
     * The free space the home's file system must have before a download: at least
     * {@code minBytes} and at least {@code artifactFactor} times the artifact size, whichever is
     * larger. Default 150 MB and 3.
     */
    public Builder freeSpace(long minBytes, double artifactFactor) {
      if (minBytes < 0) {
        throw new IllegalArgumentException("minBytes must not be negative, was " + minBytes);
      }
      if (!(artifactFactor >= 0) || Double.isInfinite(artifactFactor)) {
        throw new IllegalArgumentException(
            "artifactFactor must be a finite number >= 0, was " + artifactFactor);
      }
      this.minFreeBytes = minBytes;
      this.freeSpaceFactor = artifactFactor;
      return this;
    }

    /** Who holds the lock, in logs and lock records; default {@code <hostname>:<pid>}. */
    public Builder owner(String owner) {
      Objects.requireNonNull(owner, "owner");
      if (owner.isBlank()) {
        throw new IllegalArgumentException("owner must not be blank");
      }
      this.owner = owner;
      return this;
    }

    /**
     * Whether an index without an {@code expires} time is refused as possibly frozen. Default
     * false: an index without one never expires (an index that has one is always refused once it
     * has expired). Turn it on when every index you publish carries an expiry, so that a
     * repository that drops it is refused too. See {@code docs/freshness-and-rollout.md}.
     */
    public Builder requireExpiry(boolean requireExpiry) {
      this.requireExpiry = requireExpiry;
      return this;
    }

    /**
     * How long the channel index read by {@link Updater#check(boolean)} or {@link
     * Updater#report(boolean)} answers later calls without {@code force}; default 1 hour. {@link
     * Duration#ZERO} turns the cache off: every check reads the source. The cache lives in this
     * updater's memory only.
     */
    public Builder checkCacheTtl(Duration checkCacheTtl) {
      Objects.requireNonNull(checkCacheTtl, "checkCacheTtl");
      if (checkCacheTtl.isNegative()) {
        throw new IllegalArgumentException(
            "checkCacheTtl must be zero (no cache) or positive, was " + checkCacheTtl);
      }
      this.checkCacheTtl = checkCacheTtl;
      return this;
    }

    /**
     * How this install takes updates; default {@link UpdateMode#NOTIFY}. A later
     * {@link #modeFromEnv} whose variable is set overrides it.
     */
    public Builder mode(UpdateMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Takes the mode from the process environment variable {@code variable} (the host picks the
     * name, such as {@code MYAPP_UPDATE_MODE}): {@code notify}, {@code auto} or {@code disabled},
     * in any case. When the variable is unset or blank, {@link #mode} (or its default) applies.
     * An invalid value fails {@link #build()} with a message naming the variable and the values
     * it accepts.
     */
    public Builder modeFromEnv(String variable) {
      return modeFromEnv(variable, System.getenv());
    }

    /** Like {@link #modeFromEnv(String)}, reading {@code variable} from {@code environment}. */
    public Builder modeFromEnv(String variable, Map<String, String> environment) {
      Objects.requireNonNull(variable, "variable");
      Objects.requireNonNull(environment, "environment");
      if (variable.isBlank()) {
        throw new IllegalArgumentException("the mode's environment variable name must not be blank");
      }
      this.modeVariable = variable;
      this.modeValue = environment.get(variable);
      return this;
    }

    private UpdateMode resolveMode() {
      if (modeVariable == null || modeValue == null || modeValue.isBlank()) {
        return mode;
      }
      try {
        return UpdateMode.parse(modeValue);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("environment variable " + modeVariable + "="
            + modeValue + " is not an update mode; set it to notify, auto or disabled (or unset"
            + " it for the default, " + mode.configName() + ")", e);
      }
    }

    /**
     * Builds the updater. Does no I/O: the install is inspected (and recovered) by the first
     * operation.
     *
     * @throws IllegalStateException naming each missing required part, or an invalid mode in
     *     the environment variable given to {@link #modeFromEnv}
     */
    public Updater build() {
      List<String> missing = new ArrayList<>();
      if (home == null) {
        missing.add("home(Path): the install's home directory");
      }
      if (source == null) {
        missing.add("source(ReleaseSource): where releases come from, for example "
            + "DirectoryReleaseSource.of(repository)");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("Updater.builder() is missing " + String.join(" and ", missing));
      }
      if (watcher != null) {
        checkWatcher();
      }
      UpdateMode resolvedMode = resolveMode();
      Layout layout = Layout.of(home);
      return new DefaultUpdater(new UpdaterConfig(
          layout,
          source,
          Optional.ofNullable(application),
          channel,
          stager != null ? stager : ArchiveStager.defaults(),
          activator != null ? activator : SymlinkActivator.create(layout),
          lockStore != null ? lockStore
              : FileLockStore.create(layout.state().resolve("lock.json"), clock),
          lockTtl,
          migrationRunner,
          guards,
          gates,
          restarter,
          healthCheck,
          confirmationTimeout,
          maxUnconfirmedStarts,
          listeners,
          before,
          after,
          clock,
          Optional.ofNullable(runningVersion),
          minFreeBytes,
          freeSpaceFactor,
          owner != null ? owner : defaultOwner(),
          requireExpiry,
          checkCacheTtl, Optional.ofNullable(watcher), resolvedMode));
    }

    /** The watcher runs in another JVM with the default lock and activator, and only on a restart. */
    private void checkWatcher() {
      List<String> conflicts = new ArrayList<>();
      if (restarter == Restarter.NONE) {
        conflicts.add("a restarter(...) other than Restarter.NONE (without a restart there is"
            + " nothing to watch)");
      }
      if (lockStore != null && !(lockStore instanceof FileLockStore)) {
        conflicts.add("the default lock store (the watcher takes .updater/lock.json)");
      }
      if (activator != null && !(activator instanceof SymlinkActivator)) {
        conflicts.add("the default symbolic-link activator (the watcher switches current/ back)");
      }
      if (!conflicts.isEmpty()) {
        throw new IllegalStateException("watcher(...) needs " + String.join(" and ", conflicts));
      }
    }

    private static String defaultOwner() {
      String host = System.getenv().getOrDefault("HOSTNAME", "");
      if (host.isEmpty()) {
        try {
          host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
          host = "localhost";
        }
      }
      return host + ":" + ProcessHandle.current().pid();
    }
  }
}
