package dev.updater.core.admin;

import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateMode;
import dev.updater.core.UpdateResult;
import dev.updater.core.UpdateScheduler;
import dev.updater.core.UpdateStatus;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.TelemetrySink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of an install, framework-neutral: each method answers one request of an admin
 * panel with an {@link AdminResponse} (a suggested HTTP status and a JSON-ready body), with the
 * semantics of seed 000's "Software Updates" page. A host maps each to a route:
 *
 * <pre>{@code
 * UpdateAdmin admin = UpdateAdmin.builder(updater).scheduler(scheduler).build();
 * // GET  /api/admin/updates?force=true   -> admin.status(force)
 * // POST /api/admin/updates/install      -> admin.install(body.repair)
 * // POST /api/admin/updates/rollback     -> admin.rollback()
 * // GET  /api/admin/updates/progress     -> admin.progress()
 * // POST /api/admin/updates/clear        -> admin.clearError()
 * AdminResponse<?> r = admin.install(false);
 * send(r.status(), objectMapper.writeValueAsBytes(r.body()));
 * }</pre>
 *
 * <p>Install, repair and rollback start in the background and return at once: {@code 202} when
 * started, {@code 200} when there is nothing to install, {@code 409} when refused because another
 * update or rollback is in progress (in this process or another one holding the update lock), the
 * release is incompatible with the install's database, or (rollback) no previous release is
 * recorded. Of two concurrent requests exactly one is accepted. Progress is polled with
 * {@link #progress()}; failures are recorded by the updater and shown until the next success or
 * {@link #clearError()}.
 *
 * <p>Status checks the update source at most once per {@link Builder#checkCacheTtl} (1 hour by
 * default) unless {@code force} is set, and never on its own in {@link UpdateMode#DISABLED}; a
 * forced check is an operator's explicit request and is made in every mode.
 *
 * <p>Thread-safe; one instance per install. {@link #close()} it at shutdown.
 */
public final class UpdateAdmin implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateAdmin.class);

  /** How long a check result is reused by a status request without {@code force}: 1 hour. */
  public static final Duration DEFAULT_CHECK_CACHE_TTL = Duration.ofHours(1);

  private final Updater updater;
  private final Optional<UpdateScheduler> scheduler;
  private final Clock clock;
  private final Duration checkCacheTtl;
  private final ExecutorService executor;
  private final TelemetrySink telemetry;
  private final Object actions = new Object();
  private final Object checks = new Object();
  private volatile Job job; // the last operation started here; written under actions
  private volatile LastCheck lastCheck; // guarded by checks for writes

  /** An operation running in the background. */
  private static final class Job {
    final String operation;
    final Optional<Version> target;
    final Optional<Instant> journalBefore;
    volatile boolean done;
    volatile UpdateException error;

    Job(String operation, Optional<Version> target, Optional<Instant> journalBefore) {
      this.operation = operation;
      this.target = target;
      this.journalBefore = journalBefore;
    }
  }

  /** The result of the last check made here: when, what it found, and why it failed. */
  private record LastCheck(Instant at, Optional<Release> latest, Optional<String> error,
      boolean fresh) {
    LastCheck(Instant at, Optional<Release> latest, Optional<String> error) {
      this(at, latest, error, false);
    }

    LastCheck reused() {
      return fresh ? new LastCheck(at, latest, error, false) : this;
    }
  }

  private UpdateAdmin(Builder b) {
    this.updater = b.updater;
    this.scheduler = Optional.ofNullable(b.scheduler);
    this.clock = b.clock;
    this.checkCacheTtl = b.checkCacheTtl;
    this.telemetry = b.telemetry;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "updater-admin");
      t.setDaemon(true);
      return t;
    });
  }

  /** An admin API over {@code updater} with the defaults. */
  public static UpdateAdmin of(Updater updater) {
    return builder(updater).build();
  }

  /** A builder for an admin API over {@code updater}. */
  public static Builder builder(Updater updater) {
    return new Builder(updater);
  }

  /**
   * The panel's status: running and installed versions, restart required, latest available
   * release, database provider and compatibility, mode, last check, phase, error. Checks the
   * update source when {@code force} is set or the last check is older than the cache TTL (never
   * without {@code force} in {@link UpdateMode#DISABLED}); a failed check is reported in
   * {@link AdminStatus#checkError()} with {@code 200}, next to the last good result.
   *
   * @return {@code 200} with the status, or {@code 500} when the install's state cannot be read
   */
  public AdminResponse<AdminStatus> status(boolean force) {
    UpdateStatus st;
    try {
      st = updater.status();
    } catch (UpdateException e) {
      return new AdminResponse<>(AdminResponse.ERROR, unreadable(e));
    }
    LastCheck check = latest(force);
    Optional<Release> latest = check.latest().filter(r -> st.installed()
        .map(installed -> r.version().isNewerThan(installed)).orElse(true));
    if (check.fresh() && !force) {
      heartbeat(st, latest.isPresent());
    }
    boolean awaiting = latest.isPresent() && isPrefetched(latest.get());
    AdminStatus body = new AdminStatus(
        text(st.running()),
        text(st.installed()),
        st.restartRequired(),
        latest.map(r -> r.version().toString()).orElse(null),
        latest.isPresent(),
        latest.map(Release::notes).filter(n -> !n.isEmpty()).orElse(null),
        null,
        null,
        null,
        updater.mode().configName(),
        check.at().equals(Instant.EPOCH) ? null : check.at().toString(),
        check.error().orElse(null),
        awaiting,
        st.phase().statusName(),
        st.state().name(),
        text(st.target()),
        text(st.previous()),
        st.canRollBack() && !jobRunning(),
        st.error().map(AdminError::of).orElse(null));
    return new AdminResponse<>(AdminResponse.OK, body);
  }

  /** Sends the telemetry heartbeat of a non-forced check, when enabled; failures are logged. */
  private void heartbeat(UpdateStatus st, boolean updateAvailable) {
    if (telemetry == TelemetrySink.NONE) {
      return;
    }
    try {
      telemetry.send(new TelemetrySink.Heartbeat(st.running(), st.installed(), updateAvailable,
          Optional.empty()));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("The telemetry heartbeat was not sent: {}", e.toString());
    }
  }

  private boolean isPrefetched(Release release) {
    try {
      return updater.isPrefetched(release);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The last check, made again when forced or stale; never made unforced when disabled. */
  private LastCheck latest(boolean force) {
    synchronized (checks) {
      LastCheck last = lastCheck;
      Optional<LastCheck> fromScheduler = scheduler.flatMap(s -> s.lastCheck()
          .map(at -> new LastCheck(at, s.latest(), Optional.empty())));
      if (fromScheduler.isPresent() && (last == null || fromScheduler.get().at().isAfter(last.at()))) {
        last = fromScheduler.get();
      }
      boolean stale = last == null
          || !clock.instant().isBefore(last.at().plus(checkCacheTtl));
      boolean mayCheck = force || updater.mode() != UpdateMode.DISABLED;
      if (!(force || stale) || !mayCheck) {
        return last != null ? last.reused()
            : new LastCheck(Instant.EPOCH, Optional.empty(), Optional.empty());
      }
      try {
        lastCheck = new LastCheck(clock.instant(), updater.check(), Optional.empty(), true);
      } catch (UpdateException e) {
        LOG.warn("Update check for the admin status failed: {}", e.getMessage());
        lastCheck = new LastCheck(last != null ? last.at() : Instant.EPOCH,
            last != null ? last.latest() : Optional.empty(), Optional.of(e.getMessage()));
      }
      return lastCheck;
    }
  }

  /**
   * Starts an install of the newest release in the background (or, with {@code repair}, a repair
   * of the live release in place: shared paths linked again, staging hooks and migrations run
   * again) and returns at once. A release pre-downloaded by the scheduler is installed from its
   * verified copy.
   *
   * @return {@code 202} started; {@code 200} nothing newer to install; {@code 409} another update
   *     or rollback in progress ({@code LOCKED}), the release is incompatible with this install
   *     ({@code INCOMPATIBLE}), nothing live to repair ({@code INVALID_STATE}); {@code 502} the
   *     update source failed; {@code 500} another failure
   */
  public AdminResponse<AdminAnswer> install(boolean repair) {
    String operation = repair ? "repair" : "install";
    synchronized (actions) {
      Optional<AdminResponse<AdminAnswer>> busy = refuseWhileBusy(operation);
      if (busy.isPresent()) {
        return busy.get();
      }
      UpdateStatus st;
      try {
        st = updater.status();
      } catch (UpdateException e) {
        return answer(operation, null, e);
      }
      if (repair) {
        if (st.installed().isEmpty()) {
          return conflict(operation, null, Reason.INVALID_STATE, "no release is live, so there is"
              + " nothing to repair; install one first");
        }
        return start(operation, st.installed(), st, updater::repair);
      }
      Release release;
      try {
        Optional<Release> found = updater.check();
        synchronized (checks) {
          lastCheck = new LastCheck(clock.instant(), found, Optional.empty());
        }
        if (found.isEmpty()) {
          return new AdminResponse<>(AdminResponse.OK, new AdminAnswer(AdminAnswer.UP_TO_DATE,
              operation, text(st.installed()), "no newer release is available; "
              + st.installed().map(v -> v + " is up to date").orElse("nothing is published"),
              null));
        }
        release = found.get();
      } catch (UpdateException e) {
        return answer(operation, null, e);
      }
      return start(operation, Optional.of(release.version()), st, () -> updater.install(release));
    }
  }

  /**
   * Starts a rollback to the previous release in the background and returns at once.
   *
   * @return {@code 202} started; {@code 409} when no previous release is recorded
   *     ({@code INVALID_STATE}) or another update or rollback is in progress ({@code LOCKED})
   */
  public AdminResponse<AdminAnswer> rollback() {
    String operation = "rollback";
    synchronized (actions) {
      Optional<AdminResponse<AdminAnswer>> busy = refuseWhileBusy(operation);
      if (busy.isPresent()) {
        return busy.get();
      }
      UpdateStatus st;
      try {
        st = updater.status();
      } catch (UpdateException e) {
        return answer(operation, null, e);
      }
      if (st.previous().isEmpty()) {
        return conflict(operation, null, Reason.INVALID_STATE, "no previous release is recorded,"
            + " so there is nothing to roll back to");
      }
      if (st.installed().equals(st.previous())) {
        return conflict(operation, text(st.previous()), Reason.INVALID_STATE,
            st.previous().get() + " is already the live release");
      }
      return start(operation, st.previous(), st, updater::rollback);
    }
  }

  /**
   * Where the running or last operation stands. Reading it also completes an update whose new
   * release this process runs (see {@link Updater#status()}), so after a restart it reaches
   * {@code complete}.
   *
   * @return {@code 200} with the progress, or {@code 500} when the state cannot be read
   */
  public AdminResponse<AdminProgress> progress() {
    Job j = job;
    UpdateStatus st;
    try {
      st = updater.status();
    } catch (UpdateException e) {
      AdminError error = AdminError.of(e);
      return new AdminResponse<>(AdminResponse.ERROR, new AdminProgress("error", "FAILED",
          j == null ? null : j.operation, null, null, null, null, null, null, false, error));
    }
    boolean busy = st.state() == State.IN_PROGRESS || st.state() == State.AWAITING_CONFIRMATION;
    boolean jobRunning = j != null && !j.done;
    // The journal unchanged since the job was started: it has not begun (or was refused).
    boolean untouched = j != null && st.updatedAt().equals(j.journalBefore);
    String phase = st.phase().statusName();
    String state = st.state().name();
    Optional<AdminError> error = st.error().map(AdminError::of);
    Optional<Version> target = st.target();
    // No journal at all reads as a fresh idle record: the job cannot have begun either.
    boolean notBegun = untouched || st.state() == State.IDLE;
    if (j != null && notBegun && jobRunning && !busy && st.state() != State.FAILED) {
      phase = "checking";
      state = State.IN_PROGRESS.name();
      target = j.target;
    } else if (j != null && notBegun && !jobRunning && j.error != null
        && st.state() != State.FAILED) {
      phase = "error";
      state = State.FAILED.name();
      target = j.target;
      error = Optional.of(AdminError.of(j.error));
    }
    var bytes = st.progress();
    AdminProgress body = new AdminProgress(phase, state, j == null ? null : j.operation,
        st.step().map(Enum::name).orElse(null), text(target), text(st.installed()),
        text(st.running()), bytes.map(p -> p.done()).orElse(null),
        bytes.flatMap(p -> p.total().isPresent() ? Optional.of(p.total().getAsLong())
            : Optional.empty()).orElse(null),
        busy || jobRunning, error.orElse(null));
    return new AdminResponse<>(AdminResponse.OK, body);
  }

  /**
   * Discards a failed status so the panel shows the install as idle (history keeps the failure)
   * and releases the lock a dead process left.
   *
   * @return {@code 200} cleared; {@code 409} while an update or rollback is in progress
   */
  public AdminResponse<AdminAnswer> clearError() {
    String operation = "clear-error";
    synchronized (actions) {
      Optional<AdminResponse<AdminAnswer>> busy = refuseWhileBusy(operation);
      if (busy.isPresent()) {
        return busy.get();
      }
      try {
        updater.clearError();
      } catch (UpdateException e) {
        return answer(operation, null, e);
      }
      job = null;
      return new AdminResponse<>(AdminResponse.OK, new AdminAnswer(AdminAnswer.DONE, operation,
          null, "the failed status was cleared", null));
    }
  }

  /** The updater this API drives. */
  public Updater updater() {
    return updater;
  }

  /**
   * Stops accepting operations and waits up to 30 s for a running one (never interrupted: it
   * finishes on its daemon thread). Idempotent.
   */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("An update operation still runs; it finishes on its daemon thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private boolean jobRunning() {
    Job j = job;
    return j != null && !j.done;
  }

  /** A 409 when an operation runs here, or the journal says one runs anywhere. */
  private Optional<AdminResponse<AdminAnswer>> refuseWhileBusy(String operation) {
    Job j = job;
    if (j != null && !j.done) {
      return Optional.of(conflict(operation, text(j.target), Reason.LOCKED, "another update or"
          + " rollback is in progress (" + j.operation + j.target.map(v -> " of " + v).orElse("")
          + "); wait for it to finish and follow it with progress()"));
    }
    return Optional.empty();
  }

  private AdminResponse<AdminAnswer> start(String operation, Optional<Version> target,
      UpdateStatus before, Supplier<UpdateResult> action) {
    if (before.state() == State.IN_PROGRESS || before.state() == State.AWAITING_CONFIRMATION) {
      return conflict(operation, text(before.target()), Reason.LOCKED, "another update or"
          + " rollback is in progress" + before.target().map(v -> " (to " + v + ")").orElse("")
          + "; wait for it to finish and follow it with progress()");
    }
    Job j = new Job(operation, target, before.updatedAt());
    try {
      executor.execute(() -> run(j, action));
    } catch (RejectedExecutionException e) {
      return new AdminResponse<>(AdminResponse.ERROR, new AdminAnswer(AdminAnswer.ERROR, operation,
          text(target), "the admin API was closed; the application is shutting down", null));
    }
    job = j;
    LOG.info("Admin request: {}{} started in the background", operation,
        target.map(v -> " of " + v).orElse(""));
    return new AdminResponse<>(AdminResponse.ACCEPTED, new AdminAnswer(AdminAnswer.ACCEPTED,
        operation, text(target), operation + target.map(v -> " of " + v).orElse("")
        + " started in the background; follow it with progress()", null));
  }

  private static void run(Job j, Supplier<UpdateResult> action) {
    try {
      UpdateResult result = action.get();
      LOG.info("Admin request: {} finished: {}", j.operation, result);
    } catch (UpdateException e) {
      j.error = e;
    } catch (RuntimeException e) {
      LOG.error("Admin request: {} failed unexpectedly", j.operation, e);
      j.error = new UpdateException(Reason.IO_ERROR, null, j.operation + " failed unexpectedly: "
          + e, e);
    } finally {
      j.done = true;
    }
  }

  private static AdminResponse<AdminAnswer> conflict(String operation, String version,
      Reason reason, String message) {
    return new AdminResponse<>(AdminResponse.CONFLICT, new AdminAnswer(AdminAnswer.CONFLICT,
        operation, version, message, reason.name()));
  }

  /** The answer for an operation refused or failed with {@code e} before it started. */
  private static AdminResponse<AdminAnswer> answer(String operation, String version,
      UpdateException e) {
    if (e.reason().isConflict()) {
      return conflict(operation, version, e.reason(), e.getMessage());
    }
    return new AdminResponse<>(statusOf(e), new AdminAnswer(AdminAnswer.ERROR, operation, version,
        e.getMessage(), e.reason().name()));
  }

  /** The HTTP status for {@code e}: 409 for a conflict, 502 for the source, 500 otherwise. */
  static int statusOf(UpdateException e) {
    if (e.reason().isConflict()) {
      return AdminResponse.CONFLICT;
    }
    if (e.reason() == Reason.SOURCE_UNAVAILABLE || e.reason() == Reason.VERIFICATION_FAILED) {
      return AdminResponse.BAD_GATEWAY;
    }
    return AdminResponse.ERROR;
  }

  private static AdminStatus unreadable(UpdateException e) {
    return new AdminStatus(null, null, false, null, false, null, null, null, null, "unknown",
        null, null, false, "error", State.FAILED.name(), null, null, false, AdminError.of(e));
  }

  private static String text(Optional<Version> version) {
    return version.map(Version::toString).orElse(null);
  }

  /** Configures an {@link UpdateAdmin}. Setters reject bad values at once. Not thread-safe. */
  public static final class Builder {
    private final Updater updater;
    private UpdateScheduler scheduler;
    private Clock clock = Clock.systemUTC();
    private Duration checkCacheTtl = DEFAULT_CHECK_CACHE_TTL;
    private TelemetrySink telemetry = TelemetrySink.NONE;

    private Builder(Updater updater) {
      this.updater = Objects.requireNonNull(updater, "updater");
    }

    /**
     * The scheduler of the same updater, when the host runs one: its last check and the release
     * it pre-downloaded are shown, so a status request need not check again.
     */
    public Builder scheduler(UpdateScheduler scheduler) {
      Objects.requireNonNull(scheduler, "scheduler");
      if (scheduler.updater() != updater) {
        throw new IllegalArgumentException("the scheduler drives another updater than this admin");
      }
      this.scheduler = scheduler;
      return this;
    }

    /** The clock for check times and the cache; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a status request without {@code force} reuses the last check; default 1 hour, zero
     * to check every time.
     */
    public Builder checkCacheTtl(Duration checkCacheTtl) {
      Objects.requireNonNull(checkCacheTtl, "checkCacheTtl");
      if (checkCacheTtl.isNegative()) {
        throw new IllegalArgumentException("checkCacheTtl must not be negative, was "
            + checkCacheTtl);
      }
      this.checkCacheTtl = checkCacheTtl;
      return this;
    }

    /**
     * Sends a telemetry heartbeat (running and installed version, update availability, database
     * provider; nothing else) after each status check that was not forced, as seed 000 does;
     * default {@link TelemetrySink#NONE}: off. A host running a scheduler usually enables it there
     * instead.
     */
    public Builder telemetry(TelemetrySink telemetry) {
      this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
      return this;
    }

    /** Builds the admin API; it starts a daemon thread for background operations. */
    public UpdateAdmin build() {
      return new UpdateAdmin(this);
    }
  }
}
