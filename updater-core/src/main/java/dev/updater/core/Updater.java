package dev.updater.core;

import dev.updater.core.activate.FileLockStore;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.confirm.Watcher;
import dev.updater.core.internal.DefaultUpdater;
import dev.updater.core.internal.UpdaterConfig;
import dev.updater.core.spi.Restarter;
import dev.updater.core.stage.ArchiveStager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
   * the section "Freshness: serial and expiry" of {@code docs/signing.md}.
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
   * Switches to {@code version}, a release kept on disk under {@code releases/} (older or newer
   * than the live one), restarts and confirms it, like {@link #rollback()}; the release switched
   * from is quarantined. For an operator who chooses which kept release to run, for example when
   * the previous one fails too ({@link UpdateStatus.State#NEEDS_OPERATOR}), or to leave a release
   * its publisher revoked. Runs no migrations and no gates: every kept release was live once, and
   * its migrations ran then; the schema must suit it (see the expand-only rule for migrations).
   *
   * <pre>{@code
   * updater.rollback(Version.parse("1.0.0"));
   * }</pre>
   *
   * @throws UpdateException with {@code INVALID_STATE} when {@code version} is the live release or
   *     is not kept on disk (the message lists the kept ones); nothing is changed then
   */
  UpdateResult rollback(Version version);

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
   * went unconfirmed (see {@link Builder#confirmationTimeout},
   * {@link Builder#maxUnconfirmedStarts}).
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
   * {@link #build()} checks that the required parts are present. The builder may be used again
   * after {@link #build()}: what it builds later does not change an updater built before. Not
   * thread-safe.
   *
   * <pre>{@code
   * Updater updater = Updater.builder()
   *     .home(Path.of("/opt/myapp"))
   *     .source(DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp")))
   *     .healthCheck(HttpHealthCheck.of(URI.create("http://127.0.0.1:8080/api/health")))
   *     .build();
   * }</pre>
   */
  final class Builder extends BuilderOptions {
    /** The least free space kept on the install's file system by default: 150 MB. */
    public static final long DEFAULT_MIN_FREE_BYTES = 150L * 1024 * 1024;
    /**
     * By default a release that declares no expanded size is assumed to expand to this multiple
     * of its artifact when the free space is checked before the download.
     */
    public static final double DEFAULT_FREE_SPACE_FACTOR = 3.0;
    /** The share of the install's file system kept free by default: 5 %. */
    public static final double DEFAULT_FREE_SPACE_RESERVE = 0.05;
    /** How many times its artifact an archive without a declared size may expand to: 100. */
    public static final double DEFAULT_MAX_INFLATION_RATIO = 100.0;
    /** How long an update lock lasts before another process may take it over: 1 hour. */
    public static final Duration DEFAULT_LOCK_TTL = Duration.ofHours(1);
    /** How long a restarted release has to confirm before it is rolled back: 60 s. */
    public static final Duration DEFAULT_CONFIRMATION_TIMEOUT = Duration.ofSeconds(60);
    /** How many starts of a restarted release may go unconfirmed before it is rolled back: 3. */
    public static final int DEFAULT_MAX_UNCONFIRMED_STARTS = 3;
    /** How long a channel index read by a check answers later checks: 1 hour. */
    public static final Duration DEFAULT_CHECK_CACHE_TTL = Duration.ofHours(1);

    Builder() {}

    /**
     * Builds the updater. Does no I/O: the install is inspected (and recovered) by the first
     * operation. Parts left unset get their defaults: {@link ArchiveStager#defaults()}, a {@link
     * SymlinkActivator} on the home, a {@link FileLockStore} in {@code .updater/lock.json}, and
     * {@code <hostname>:<pid>} as owner.
     *
     * @throws IllegalStateException naming each missing required part, or an invalid mode in
     *     the environment variable given to {@link #modeFromEnv}
     */
    public Updater build() {
      List<String> missing = new ArrayList<>();
      if (settings.home == null) {
        missing.add("home(Path): the install's home directory");
      }
      if (settings.source == null) {
        missing.add("source(ReleaseSource): where releases come from, for example "
            + "DirectoryReleaseSource.of(repository)");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("Updater.builder() is missing "
            + String.join(" and ", missing));
      }
      if (settings.watcher.isPresent()) {
        checkWatcher();
      }
      UpdaterConfig.Settings resolved = settings.withDefaults();
      resolved.mode = resolveMode();
      return new DefaultUpdater(new UpdaterConfig(resolved));
    }

    private UpdateMode resolveMode() {
      if (modeVariable == null || modeValue == null || modeValue.isBlank()) {
        return settings.mode;
      }
      try {
        return UpdateMode.parse(modeValue);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("environment variable " + modeVariable + "="
            + modeValue + " is not an update mode; set it to notify, auto or disabled (or unset"
            + " it for the default, " + settings.mode.configName() + ")", e);
      }
    }

    /** The watcher runs in another JVM with the default lock and activator, only on a restart. */
    private void checkWatcher() {
      List<String> conflicts = new ArrayList<>();
      if (settings.restarter == Restarter.NONE) {
        conflicts.add("a restarter(...) other than Restarter.NONE (without a restart there is"
            + " nothing to watch)");
      }
      if (settings.lockStore != null && !(settings.lockStore instanceof FileLockStore)) {
        conflicts.add("the default lock store (the watcher takes .updater/lock.json)");
      }
      if (settings.activator != null && !(settings.activator instanceof SymlinkActivator)) {
        conflicts.add("the default symbolic-link activator (the watcher switches current/ back)");
      }
      if (!conflicts.isEmpty()) {
        throw new IllegalStateException("watcher(...) needs " + String.join(" and ", conflicts));
      }
    }
  }
}
