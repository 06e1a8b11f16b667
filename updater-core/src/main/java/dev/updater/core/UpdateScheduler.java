package dev.updater.core;

import dev.updater.core.spi.TelemetrySink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks for updates periodically and acts on what it finds according to the updater's
 * {@link UpdateMode}, as an update agent does: {@link UpdateMode#NOTIFY} pre-downloads and
 * verifies the release ({@link Updater#prefetch}) and waits for {@link #approve()};
 * {@link UpdateMode#AUTO} installs it in the same tick, inside the {@link MaintenanceWindow} when
 * one is set (outside it, it pre-downloads and waits for the window); {@link UpdateMode#DISABLED}
 * makes no request at all.
 *
 * <pre>{@code
 * UpdateScheduler scheduler = UpdateScheduler.builder(updater)
 *     .interval(Duration.ofMinutes(5))                       // the default
 *     .maintenanceWindow(MaintenanceWindow.parse("02:00-04:00"))
 *     .onTick(tick -> log.info("update check: {}", tick))
 *     .build()
 *     .start();
 * ...
 * scheduler.approve();   // NOTIFY: install the release that awaits approval
 * scheduler.close();     // at shutdown
 * }</pre>
 *
 * <p>Ticks run one at a time on one daemon thread, each scheduled {@link Builder#interval} plus a
 * random jitter after the previous one ended, so checks never overlap; {@link #tick()} called by
 * another thread while one runs returns {@link Tick.Busy} without checking. An install is never
 * interrupted: {@link #close()} stops further ticks and waits for a running one.
 *
 * <p>Thread-safe.
 */
public final class UpdateScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateScheduler.class);

  /** How often to check by default: every 5 minutes. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
  /** The largest random delay added to each interval by default: 30 s. */
  public static final Duration DEFAULT_JITTER = Duration.ofSeconds(30);
  /** How long {@link #close()} waits for a running tick by default: 30 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** What one tick did. */
  public sealed interface Tick {
    /** The mode is {@link UpdateMode#DISABLED}: nothing was checked. */
    record Disabled() implements Tick {}

    /** Another tick was running: this one did nothing. */
    record Busy() implements Tick {}

    /** The check found no newer release. */
    record UpToDate(Instant checkedAt) implements Tick {}

    /** {@link UpdateMode#NOTIFY}: {@code release} is pre-downloaded and waits for approval. */
    record AwaitingApproval(Release release) implements Tick {}

    /**
     * {@link UpdateMode#AUTO} outside the maintenance window: {@code release} is pre-downloaded
     * and installs at the first tick inside {@code window}.
     */
    record OutsideWindow(Release release, MaintenanceWindow window) implements Tick {}

    /** {@link UpdateMode#AUTO}: {@code release} was installed with {@code result}. */
    record Installed(Release release, UpdateResult result) implements Tick {}

    /**
     * A newer {@code release} is available but may not be installed here ({@code reason}, such as
     * a database provider it does not support): it is neither pre-downloaded nor installed.
     */
    record Incompatible(Release release, String reason) implements Tick {}

    /** The check, pre-download or install failed with {@code error}. */
    record Failed(UpdateException error) implements Tick {}

    /**
     * {@link UpdateMode#AUTO}: the installed release was revoked by its publisher ({@code
     * revocation}) and no installable update replaces it, so the scheduler rolled back to the
     * newest kept release that is not revoked, with {@code result}; at once, whatever the
     * maintenance window.
     */
    record PulledBack(Revocation revocation, UpdateResult result) implements Tick {}
  }

  private final Updater updater;
  private final Duration interval;
  private final Duration jitter;
  private final Optional<MaintenanceWindow> window;
  private final Clock clock;
  private final Consumer<Tick> onTick;
  private final TelemetrySink telemetry;
  private final PeriodicTicks ticks;
  private final ReentrantLock running = new ReentrantLock();
  private volatile Optional<Instant> lastCheck = Optional.empty();
  private volatile Optional<Release> latest = Optional.empty();
  private volatile Optional<Release> awaiting = Optional.empty();
  private volatile Optional<Tick> lastTick = Optional.empty();

  private UpdateScheduler(Builder b) {
    this.updater = b.updater;
    this.interval = b.interval;
    this.jitter = b.jitter;
    this.window = Optional.ofNullable(b.window);
    this.clock = b.clock;
    this.onTick = b.onTick;
    this.telemetry = b.telemetry;
    this.ticks = new PeriodicTicks(b.interval, b.jitter, b.closeTimeout, this::tick);
  }

  /** A builder for a scheduler driving {@code updater}. */
  public static Builder builder(Updater updater) {
    return new Builder(updater);
  }

  /**
   * Starts ticking on a daemon thread: the first tick after a random delay of up to the jitter,
   * then one every interval plus jitter after the previous one ended. Calling it again does
   * nothing.
   *
   * @return this scheduler
   * @throws IllegalStateException after {@link #close()}
   */
  public UpdateScheduler start() {
    ticks.start(() -> LOG.info("Checking for updates every {} (+ up to {} jitter) in {} mode{}",
        interval, jitter, updater.mode().configName(),
        window.map(w -> ", installing inside " + w).orElse("")));
    return this;
  }

  /**
   * Runs one check now on the calling thread and acts on it for the current mode, unless a tick
   * is running (then returns {@link Tick.Busy} at once). Never throws for a failed check,
   * pre-download or install: that is {@link Tick.Failed}. In {@link UpdateMode#DISABLED} makes no
   * request to the update source.
   */
  public Tick tick() {
    if (!running.tryLock()) {
      LOG.info("An update check is already running; skipping this one");
      return new Tick.Busy();
    }
    Tick tick;
    try {
      tick = runTick();
    } finally {
      running.unlock();
    }
    lastTick = Optional.of(tick);
    try {
      onTick.accept(tick);
    } catch (RuntimeException e) {
      LOG.warn("The scheduler's tick listener threw on {}; ticks go on", tick, e);
    }
    return tick;
  }

  private Tick runTick() {
    UpdateMode mode = updater.mode();
    if (mode == UpdateMode.DISABLED) {
      return new Tick.Disabled();
    }
    try {
      CheckReport report = updater.report(true); // a check-in reads the source, not the cache
      Optional<Release> found = report.update();
      Instant checkedAt = clock.instant();
      lastCheck = Optional.of(checkedAt);
      latest = found;
      heartbeat(report);
      Optional<Tick> pulledBack = PullBack.apply(updater, report, mode);
      if (pulledBack.isPresent()) {
        return pulledBack.get();
      }
      if (found.isEmpty()) {
        awaiting = Optional.empty();
        return new Tick.UpToDate(checkedAt);
      }
      Release release = found.get();
      if (!report.compatible()) {
        awaiting = Optional.empty();
        String reason = report.incompatibility().orElse("a gate refused it");
        LOG.info("{} is available but cannot be installed here: {}", release.version(), reason);
        return new Tick.Incompatible(release, reason);
      }
      if (mode == UpdateMode.NOTIFY) {
        updater.prefetch(release);
        awaiting = Optional.of(release);
        LOG.info("{} is available, pre-downloaded and verified; it waits for approval",
            release.version());
        return new Tick.AwaitingApproval(release);
      }
      if (window.isPresent() && !window.get().contains(clock.instant(), clock.getZone())) {
        updater.prefetch(release);
        LOG.info("{} is available and pre-downloaded; it installs inside the maintenance window {}",
            release.version(), window.get());
        return new Tick.OutsideWindow(release, window.get());
      }
      awaiting = Optional.empty();
      LOG.info("{} is available; installing it (auto mode)", release.version());
      return new Tick.Installed(release, updater.install(release));
    } catch (UpdateException e) {
      LOG.warn("Update check in {} mode failed ({}): {}", mode.configName(), e.reason(),
          e.getMessage());
      return new Tick.Failed(e);
    }
  }

  /** Sends the telemetry heartbeat when the host enabled it; a failure is only logged. */
  private void heartbeat(CheckReport report) {
    if (telemetry == TelemetrySink.NONE) {
      return;
    }
    try {
      telemetry.send(new TelemetrySink.Heartbeat(report.running(), report.installed(),
          report.updateAvailable(),
          TelemetrySink.Heartbeat.providerOf(report.facts().get("database"))));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("The telemetry heartbeat was not sent: {}", e.toString());
    }
  }

  /**
   * Installs the release that awaits approval ({@link UpdateMode#NOTIFY}), reusing its verified
   * pre-downloaded artifact. Runs on the calling thread.
   *
   * @throws UpdateException with {@code INVALID_STATE} when no release awaits approval, or as
   *     {@link Updater#install} does
   */
  public UpdateResult approve() {
    Release release = awaiting.orElseThrow(() -> new UpdateException(
        UpdateException.Reason.INVALID_STATE, "no release awaits approval; the scheduler has not"
        + " found one newer than the installed release (check again with tick())"));
    LOG.info("Installing the approved {}", release.version());
    UpdateResult result = updater.install(release);
    awaiting = Optional.empty();
    return result;
  }

  /** The release that awaits approval, pre-downloaded and verified, if any. */
  public Optional<Release> awaitingApproval() {
    return awaiting;
  }

  /** The newest release the last successful check found, if it found one. */
  public Optional<Release> latest() {
    return latest;
  }

  /** When the last check succeeded, if one has. */
  public Optional<Instant> lastCheck() {
    return lastCheck;
  }

  /** What the last tick did, if one ran. */
  public Optional<Tick> lastTick() {
    return lastTick;
  }

  /** The updater this scheduler drives. */
  public Updater updater() {
    return updater;
  }

  /**
   * Stops ticking: no tick starts after this returns, and a running one (possibly an install,
   * which is never interrupted) is waited for up to {@link Builder#closeTimeout}. Idempotent.
   */
  @Override
  public void close() {
    ticks.close();
  }

  /** Configures an {@link UpdateScheduler}. Setters reject bad values at once. Not thread-safe. */
  public static final class Builder {
    private final Updater updater;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration jitter = DEFAULT_JITTER;
    private MaintenanceWindow window;
    private Clock clock = Clock.systemDefaultZone();
    private Consumer<Tick> onTick = tick -> { };
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private TelemetrySink telemetry = TelemetrySink.NONE;

    private Builder(Updater updater) {
      this.updater = Objects.requireNonNull(updater, "updater");
    }

    /** Time between the end of one tick and the start of the next; default 5 minutes. */
    public Builder interval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive, was " + interval);
      }
      this.interval = interval;
      return this;
    }

    /**
     * The largest random delay added to every interval (and before the first tick), so that many
     * installs do not check at the same instant; default 30 s, zero for none.
     */
    public Builder jitter(Duration jitter) {
      Objects.requireNonNull(jitter, "jitter");
      if (jitter.isNegative()) {
        throw new IllegalArgumentException("jitter must not be negative, was " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * The local times in which {@link UpdateMode#AUTO} may install, judged in the zone of
     * {@link #clock}; default none (any time).
     */
    public Builder maintenanceWindow(MaintenanceWindow window) {
      this.window = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * The clock for check times and, with its zone, the maintenance window; default the system
     * clock in the system's zone.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Called after every tick with what it did, on the ticking thread (to raise an "update
     * available" notification, say). A listener that throws is logged and ignored.
     */
    public Builder onTick(Consumer<Tick> onTick) {
      this.onTick = Objects.requireNonNull(onTick, "onTick");
      return this;
    }

    /** How long {@link UpdateScheduler#close()} waits for a running tick; default 30 s. */
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
     * provider; nothing else) after every check; default {@link TelemetrySink#NONE}: off.
     */
    public Builder telemetry(TelemetrySink telemetry) {
      this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
      return this;
    }

    /** Builds a scheduler; it does nothing until {@link UpdateScheduler#start()}. */
    public UpdateScheduler build() {
      return new UpdateScheduler(this);
    }
  }
}
