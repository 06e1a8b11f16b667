package dev.updater.core.internal;

import dev.updater.core.Hook;
import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateListener;
import dev.updater.core.UpdateMode;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.confirm.Watcher;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only configuration of one updater, as {@code Updater.Builder} set it and resolved its
 * defaults. The builder fills a {@link Settings} it holds, one field per option; {@link
 * #UpdaterConfig(Settings)} takes a copy, so that changing the builder afterwards changes no
 * updater built before. A new option is one field of {@link Settings}, read here through one
 * accessor, and one setter of the builder. Not API.
 *
 * <pre>{@code
 * UpdaterConfig.Settings settings = new UpdaterConfig.Settings();
 * settings.home = home;
 * settings.source = source;
 * UpdaterConfig config = new UpdaterConfig(settings.withDefaults());
 * }</pre>
 *
 * <p>Immutable and thread-safe (the ports it holds are as thread-safe as their contracts say).
 */
public final class UpdaterConfig {

  /**
   * The options while a builder fills them: one public field per option, holding its default
   * until it is set; {@code null} for a part whose default depends on others (resolved by {@link
   * #withDefaults()} once they are all known). The builder checks every value before it sets it.
   * Mutable and not thread-safe: only the builder that holds it touches it.
   */
  public static final class Settings implements Cloneable {
    public Path home;
    public ReleaseSource source;
    public Optional<String> application = Optional.empty();
    public String channel = "stable";
    /** Resolved to {@link dev.updater.core.stage.ArchiveStager#defaults()} when not set. */
    public Stager stager;
    /** Resolved to a {@link dev.updater.core.activate.SymlinkActivator} on the home. */
    public Activator activator;
    /** Resolved to a {@link dev.updater.core.activate.FileLockStore} in the state directory. */
    public LockStore lockStore;
    public Duration lockTtl = Updater.Builder.DEFAULT_LOCK_TTL;
    public MigrationRunner migrationRunner = MigrationRunner.NONE;
    public List<MigrationGuard> guards = new ArrayList<>();
    public List<ReleaseGate> gates = new ArrayList<>();
    public Restarter restarter = Restarter.NONE;
    public HealthCheck healthCheck = HealthCheck.NONE;
    public Duration confirmationTimeout = Updater.Builder.DEFAULT_CONFIRMATION_TIMEOUT;
    public int maxUnconfirmedStarts = Updater.Builder.DEFAULT_MAX_UNCONFIRMED_STARTS;
    public List<UpdateListener> listeners = new ArrayList<>();
    /** Where each operation's result goes; {@link TelemetrySink#NONE} when not reported. */
    public TelemetrySink results = TelemetrySink.NONE;
    public Map<Step, List<Hook>> before = new EnumMap<>(Step.class);
    public Map<Step, List<Hook>> after = new EnumMap<>(Step.class);
    public Clock clock = Clock.systemUTC();
    public Optional<Version> runningVersion = Optional.empty();
    public long minFreeBytes = Updater.Builder.DEFAULT_MIN_FREE_BYTES;
    public double freeSpaceFactor = Updater.Builder.DEFAULT_FREE_SPACE_FACTOR;
    public double freeSpaceReserve = Updater.Builder.DEFAULT_FREE_SPACE_RESERVE;
    public double maxInflationRatio = Updater.Builder.DEFAULT_MAX_INFLATION_RATIO;
    /** Resolved to {@code <hostname>:<pid>} when not set. */
    public String owner;
    public boolean requireExpiry;
    public Duration checkCacheTtl = Updater.Builder.DEFAULT_CHECK_CACHE_TTL;
    public Optional<Watcher> watcher = Optional.empty();
    public UpdateMode mode = UpdateMode.NOTIFY;
    public dev.updater.core.Platform platform = dev.updater.core.Platform.current();

    /** Every option at its default. */
    public Settings() {}

    /**
     * A copy with the defaults of the parts left unset filled in: the archive stager, symbolic
     * links on the home, the lock file in its state directory, this host and process as owner.
     * This object is left as it is.
     *
     * @throws NullPointerException when {@link #home} is not set
     */
    public Settings withDefaults() {
      Settings s = copy();
      Layout layout = Layout.of(s.home);
      if (s.stager == null) {
        s.stager = dev.updater.core.stage.ArchiveStager.defaults();
      }
      if (s.activator == null) {
        s.activator = dev.updater.core.activate.SymlinkActivator.create(layout);
      }
      if (s.lockStore == null) {
        s.lockStore = dev.updater.core.activate.FileLockStore.create(
            layout.state().resolve("lock.json"), s.clock);
      }
      if (s.owner == null) {
        s.owner = defaultOwner();
      }
      return s;
    }

    /**
     * A copy of every field, with lists and hook maps of its own. Made by {@link Object#clone()}
     * so that a field added later cannot be left out.
     */
    private Settings copy() {
      Settings s;
      try {
        s = (Settings) super.clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
      s.guards = new ArrayList<>(guards);
      s.gates = new ArrayList<>(gates);
      s.listeners = new ArrayList<>(listeners);
      s.before = copyHooks(before);
      s.after = copyHooks(after);
      return s;
    }
  }

  private final Settings settings;
  private final Layout layout;

  /**
   * The configuration {@code settings} hold now, every part resolved (see {@link
   * Settings#withDefaults()}); later changes to {@code settings} do not show here.
   *
   * @throws NullPointerException when a required part or a default is missing
   */
  public UpdaterConfig(Settings settings) {
    Settings s = settings.copy();
    java.util.Objects.requireNonNull(s.source, "source");
    java.util.Objects.requireNonNull(s.stager, "stager");
    java.util.Objects.requireNonNull(s.activator, "activator");
    java.util.Objects.requireNonNull(s.lockStore, "lockStore");
    java.util.Objects.requireNonNull(s.owner, "owner");
    s.guards = List.copyOf(s.guards);
    s.gates = List.copyOf(s.gates);
    s.listeners = List.copyOf(s.listeners);
    s.before = Collections.unmodifiableMap(copyHooks(s.before));
    s.after = Collections.unmodifiableMap(copyHooks(s.after));
    this.settings = s;
    this.layout = Layout.of(s.home);
  }

  private static Map<Step, List<Hook>> copyHooks(Map<Step, List<Hook>> hooks) {
    Map<Step, List<Hook>> copy = new EnumMap<>(Step.class);
    hooks.forEach((step, list) -> copy.put(step, List.copyOf(list)));
    return copy;
  }

  /** {@code <hostname>:<pid>}, the lock owner when none is set. */
  static String defaultOwner() {
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

  public Layout layout() {
    return layout;
  }

  public ReleaseSource source() {
    return settings.source;
  }

  public Optional<String> application() {
    return settings.application;
  }

  public String channel() {
    return settings.channel;
  }

  public Stager stager() {
    return settings.stager;
  }

  public Activator activator() {
    return settings.activator;
  }

  public LockStore lockStore() {
    return settings.lockStore;
  }

  public Duration lockTtl() {
    return settings.lockTtl;
  }

  public MigrationRunner migrationRunner() {
    return settings.migrationRunner;
  }

  public List<MigrationGuard> guards() {
    return settings.guards;
  }

  public List<ReleaseGate> gates() {
    return settings.gates;
  }

  public Restarter restarter() {
    return settings.restarter;
  }

  public HealthCheck healthCheck() {
    return settings.healthCheck;
  }

  public Duration confirmationTimeout() {
    return settings.confirmationTimeout;
  }

  public int maxUnconfirmedStarts() {
    return settings.maxUnconfirmedStarts;
  }

  /** Where each operation's result is reported; {@link TelemetrySink#NONE} when off. */
  public TelemetrySink results() {
    return settings.results;
  }

  public List<UpdateListener> listeners() {
    return settings.listeners;
  }

  /** The hooks to run before {@code step}, possibly none. */
  public List<Hook> before(Step step) {
    return settings.before.getOrDefault(step, List.of());
  }

  /** The hooks to run after {@code step}, possibly none. */
  public List<Hook> after(Step step) {
    return settings.after.getOrDefault(step, List.of());
  }

  public Clock clock() {
    return settings.clock;
  }

  public Optional<Version> runningVersion() {
    return settings.runningVersion;
  }

  public long minFreeBytes() {
    return settings.minFreeBytes;
  }

  public double freeSpaceFactor() {
    return settings.freeSpaceFactor;
  }

  /** The fraction of a live file system's size kept free, beside {@link #minFreeBytes()}. */
  public double freeSpaceReserve() {
    return settings.freeSpaceReserve;
  }

  /** How many times its artifact an archive without a declared size may expand to. */
  public double maxInflationRatio() {
    return settings.maxInflationRatio;
  }

  public String owner() {
    return settings.owner;
  }

  public boolean requireExpiry() {
    return settings.requireExpiry;
  }

  public Duration checkCacheTtl() {
    return settings.checkCacheTtl;
  }

  public Optional<Watcher> watcher() {
    return settings.watcher;
  }

  public UpdateMode mode() {
    return settings.mode;
  }

  /** The platform whose artifacts this install takes. */
  public dev.updater.core.Platform platform() {
    return settings.platform;
  }
}
