package dev.updater.core.admin;

import dev.updater.core.CheckReport;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateMode;
import dev.updater.core.UpdateResult;
import dev.updater.core.UpdateStatus;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.TelemetrySink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * UpdateAdmin admin = UpdateAdmin.of(updater);
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
 * <p>Status reads the updater's {@link Updater#report(boolean) check report}: without
 * {@code force} from the updater's check cache ({@link Updater.Builder#checkCacheTtl}, 1 hour by
 * default), and in {@link UpdateMode#DISABLED} never from the source at all; a forced check is an
 * operator's explicit request and is made in every mode.
 *
 * <p>Thread-safe; one instance per install. {@link #close()} it at shutdown.
 */
public final class UpdateAdmin implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateAdmin.class);

  /** How long {@link #close()} waits for a running operation by default: 30 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final Updater updater;
  private final Duration closeTimeout;
  private final ExecutorService executor;
  private final TelemetrySink telemetry;
  private final Object actions = new Object();
  private final Object checks = new Object();
  private volatile Job job; // the last operation started here; written under actions
  private volatile CheckReport lastReport; // the last report read; written under checks

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

  /** A report, or why it could not be made (with the last good report, if any). */
  private record Checked(Optional<CheckReport> report, Optional<String> error, boolean fresh) {}

  private UpdateAdmin(Builder b) {
    this.updater = b.updater;
    this.closeTimeout = b.closeTimeout;
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
   * release, database provider and compatibility, mode, last check, phase, error. Reads the
   * updater's check report: with {@code force} from the source, otherwise from the updater's check
   * cache when it is recent enough; in {@link UpdateMode#DISABLED} an unforced request shows the
   * last report read here and never reaches the source. A failed check is reported in
   * {@link AdminStatus#checkError()} with {@code 200}, next to the last good report.
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
    Checked checked = report(force);
    Optional<CheckReport> report = checked.report();
    Optional<Release> latest = report.flatMap(CheckReport::update).filter(r -> st.installed()
        .map(installed -> r.version().isNewerThan(installed)).orElse(true));
    if (checked.fresh() && !force) {
      heartbeat(st, latest.isPresent(), report.get());
    }
    boolean awaiting = latest.isPresent() && isPrefetched(latest.get());
    AdminStatus body = new AdminStatus(
        text(st.running()),
        text(st.installed()),
        st.restartRequired(),
        latest.map(r -> r.version().toString()).orElse(null),
        latest.isPresent(),
        latest.map(Release::notes).filter(n -> !n.isEmpty()).orElse(null),
        report.map(r -> r.facts().get(DATABASE_FACT)).orElse(null),
        latest.isPresent() ? report.get().compatible() : null,
        latest.isPresent() ? report.get().incompatibility().orElse(null) : null,
        updater.mode().configName(),
        report.map(r -> r.checkedAt().toString()).orElse(null),
        checked.error().orElse(null),
        awaiting,
        st.phase().statusName(),
        st.state().name(),
        text(st.target()),
        text(st.previous()),
        st.canRollBack() && !jobRunning(),
        st.error().map(AdminError::of).orElse(null),
        quarantined());
    return new AdminResponse<>(AdminResponse.OK, body);
  }

  /** The key under which a gate reports the database provider ({@code ReleaseGate.facts()}). */
  static final String DATABASE_FACT = "database";

  /**
   * The updater's report, read again when forced; an unforced request in DISABLED mode answers
   * the last report read here without asking the updater.
   */
  private Checked report(boolean force) {
    synchronized (checks) {
      if (!force && updater.mode() == UpdateMode.DISABLED) {
        return new Checked(Optional.ofNullable(lastReport), Optional.empty(), false);
      }
      try {
        CheckReport report = updater.report(force);
        lastReport = report;
        return new Checked(Optional.of(report), Optional.empty(), !report.cached());
      } catch (UpdateException e) {
        LOG.warn("Update check for the admin status failed: {}", e.getMessage());
        return new Checked(Optional.ofNullable(lastReport), Optional.of(e.getMessage()), false);
      }
    }
  }

  /** Sends the telemetry heartbeat of an unforced check, when enabled; failures are logged. */
  private void heartbeat(UpdateStatus st, boolean updateAvailable, CheckReport report) {
    if (telemetry == TelemetrySink.NONE) {
      return;
    }
    try {
      telemetry.send(new TelemetrySink.Heartbeat(st.running(), st.installed(), updateAvailable,
          TelemetrySink.Heartbeat.providerOf(report.facts().get(DATABASE_FACT))));
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
      CheckReport report;
      try {
        report = updater.report(true);
        synchronized (checks) {
          lastReport = report;
        }
      } catch (UpdateException e) {
        return answer(operation, null, e);
      }
      if (report.update().isEmpty()) {
        return new AdminResponse<>(AdminResponse.OK, new AdminAnswer(AdminAnswer.UP_TO_DATE,
            operation, text(st.installed()), "no newer release is available; "
            + st.installed().map(v -> v + " is up to date").orElse("nothing is published"),
            null));
      }
      Release release = report.update().get();
      if (!report.compatible()) {
        return conflict(operation, release.version().toString(), Reason.INCOMPATIBLE,
            release.version() + " cannot be installed here: "
            + report.incompatibility().orElse("a gate refused it") + "; nothing was started");
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

  /**
   * Lifts the quarantine of {@code version}, so that checks offer it again (and an {@code AUTO}
   * scheduler installs it): for an operator who fixed what made it fail.
   *
   * @return {@code 200} lifted; {@code 404} when the version is not quarantined; {@code 400}
   *     when it is not a version; {@code 409} while an update or rollback is in progress
   */
  public AdminResponse<AdminAnswer> unquarantine(String version) {
    String operation = "unquarantine";
    Version parsed;
    try {
      parsed = Version.parse(Objects.requireNonNull(version, "version"));
    } catch (IllegalArgumentException e) {
      return new AdminResponse<>(AdminResponse.BAD_REQUEST, new AdminAnswer(AdminAnswer.ERROR,
          operation, null, "'" + version + "' is not a version: " + e.getMessage(), null));
    }
    synchronized (actions) {
      Optional<AdminResponse<AdminAnswer>> busy = refuseWhileBusy(operation);
      if (busy.isPresent()) {
        return busy.get();
      }
      try {
        if (!updater.unquarantine(parsed)) {
          return new AdminResponse<>(AdminResponse.NOT_FOUND, new AdminAnswer(AdminAnswer.ERROR,
              operation, parsed.toString(), parsed + " is not quarantined", null));
        }
      } catch (UpdateException e) {
        return answer(operation, parsed.toString(), e);
      }
      return new AdminResponse<>(AdminResponse.OK, new AdminAnswer(AdminAnswer.DONE, operation,
          parsed.toString(), parsed + " is offered again", null));
    }
  }

  /** The quarantined releases; none when the file cannot be read (logged by the updater). */
  private List<AdminQuarantine> quarantined() {
    return updater.quarantined().stream().map(AdminQuarantine::of).toList();
  }

  /** The updater this API drives. */
  public Updater updater() {
    return updater;
  }

  /**
   * Stops accepting operations and waits up to {@link Builder#closeTimeout} (30 s by default) for
   * a running one, which is never interrupted (it finishes on its daemon thread). Does not wait
   * when the running operation is at its {@code RESTART} step: the restarter may be ending this
   * process from that very thread (an exit-code restarter), and a shutdown hook waiting for it
   * would only delay the exit. Idempotent.
   */
  @Override
  public void close() {
    executor.shutdown();
    Job j = job;
    if (j == null || j.done || restarting()) {
      return;
    }
    try {
      if (!executor.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("An update operation still runs; it finishes on its daemon thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private boolean restarting() {
    try {
      return updater.status().step().filter(step -> step == dev.updater.core.Step.RESTART)
          .isPresent();
    } catch (RuntimeException e) {
      return false;
    }
  }

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
        null, null, false, "error", State.FAILED.name(), null, null, false, AdminError.of(e),
        List.of());
  }

  private static String text(Optional<Version> version) {
    return version.map(Version::toString).orElse(null);
  }

  /** Configures an {@link UpdateAdmin}. Setters reject bad values at once. Not thread-safe. */
  public static final class Builder {
    private final Updater updater;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private TelemetrySink telemetry = TelemetrySink.NONE;

    private Builder(Updater updater) {
      this.updater = Objects.requireNonNull(updater, "updater");
    }

    /**
     * How long {@link UpdateAdmin#close()} waits for a running operation; default 30 s, zero not
     * to wait.
     */
    public Builder closeTimeout(Duration closeTimeout) {
      Objects.requireNonNull(closeTimeout, "closeTimeout");
      if (closeTimeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative, was "
            + closeTimeout);
      }
      this.closeTimeout = closeTimeout;
      return this;
    }

    /**
     * Sends a telemetry heartbeat (running and installed version, update availability, database
     * provider; nothing else) after each status request that was not forced and read the source
     * (not the updater's cache), as seed 000 does; default {@link TelemetrySink#NONE}: off. A
     * host running an {@link dev.updater.core.UpdateScheduler} usually enables it there instead.
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
