package dev.updater.core.admin;

import static dev.updater.core.admin.AdminAnswers.answer;
import static dev.updater.core.admin.AdminAnswers.conflict;
import static dev.updater.core.admin.AdminAnswers.text;
import static dev.updater.core.admin.AdminAnswers.unreadable;

import dev.updater.core.CheckReport;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateMode;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.TelemetrySink;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin API of an install, framework-neutral: each method answers one request of an admin
 * panel's "Software Updates" page with an {@link AdminResponse} (a suggested HTTP status and a
 * JSON-ready body). A host maps each to a route:
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
  /** How long {@link #close()} waits for a running operation by default: 30 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final Updater updater;
  private final Duration closeTimeout;
  private final AdminChecks checks;
  private final AdminJobs jobs = new AdminJobs();
  private final Object actions = new Object(); // held while an action is refused or started

  private UpdateAdmin(Builder b) {
    this.updater = b.updater;
    this.closeTimeout = b.closeTimeout;
    this.checks = new AdminChecks(b.updater, b.telemetry);
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
    AdminChecks.Checked checked = checks.report(force);
    Optional<CheckReport> report = checked.report();
    Optional<Release> latest = report.flatMap(CheckReport::update).filter(r -> st.installed()
        .map(installed -> r.version().isNewerThan(installed)).orElse(true));
    if (checked.fresh() && !force) {
      checks.heartbeat(st, latest.isPresent(), report.get());
    }
    boolean awaiting = latest.isPresent() && isPrefetched(latest.get());
    AdminStatus body = new AdminStatus(
        text(st.running()),
        text(st.installed()),
        st.restartRequired(),
        latest.map(r -> r.version().toString()).orElse(null),
        latest.isPresent(),
        latest.map(Release::notes).filter(n -> !n.isEmpty()).orElse(null),
        report.map(r -> r.facts().get(AdminChecks.DATABASE_FACT)).orElse(null),
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
        st.canRollBack() && !jobs.running(),
        st.error().map(AdminError::of).orElse(null),
        quarantined(),
        (report.isPresent() ? report.get().installedRevocation() : st.revoked())
            .map(AdminRevocation::of).orElse(null));
    return new AdminResponse<>(AdminResponse.OK, body);
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
      Optional<AdminResponse<AdminAnswer>> busy = jobs.refuseWhileBusy(operation);
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
        return jobs.start(operation, st.installed(), st, updater::repair);
      }
      CheckReport report;
      try {
        report = checks.checkNow();
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
      return jobs.start(operation, Optional.of(release.version()), st,
          () -> updater.install(release));
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
      Optional<AdminResponse<AdminAnswer>> busy = jobs.refuseWhileBusy(operation);
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
      return jobs.start(operation, st.previous(), st, updater::rollback);
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
    return AdminProgressView.progress(updater, jobs.last());
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
      Optional<AdminResponse<AdminAnswer>> busy = jobs.refuseWhileBusy(operation);
      if (busy.isPresent()) {
        return busy.get();
      }
      try {
        updater.clearError();
      } catch (UpdateException e) {
        return answer(operation, null, e);
      }
      jobs.forget();
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
      Optional<AdminResponse<AdminAnswer>> busy = jobs.refuseWhileBusy(operation);
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
    jobs.close(closeTimeout, this::restarting);
  }

  private boolean restarting() {
    try {
      return updater.status().step().filter(step -> step == dev.updater.core.Step.RESTART)
          .isPresent();
    } catch (RuntimeException e) {
      return false;
    }
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
     * (not the updater's cache); default {@link TelemetrySink#NONE}: off. A
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
