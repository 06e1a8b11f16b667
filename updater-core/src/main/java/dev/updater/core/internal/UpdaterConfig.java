package dev.updater.core.internal;

import dev.updater.core.Hook;
import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateListener;
import dev.updater.core.UpdateMode;
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
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The read-only configuration that {@code Updater.Builder} hands to the implementation. Not API. */
public record UpdaterConfig(
    Layout layout,
    ReleaseSource source,
    Optional<String> application,
    String channel,
    Stager stager,
    Activator activator,
    LockStore lockStore,
    Duration lockTtl,
    MigrationRunner migrationRunner,
    List<MigrationGuard> guards,
    List<ReleaseGate> gates,
    Restarter restarter,
    HealthCheck healthCheck,
    Duration confirmationTimeout,
    int maxUnconfirmedStarts,
    List<UpdateListener> listeners,
    Map<Step, List<Hook>> before,
    Map<Step, List<Hook>> after,
    Clock clock,
    Optional<Version> runningVersion,
    long minFreeBytes,
    double freeSpaceFactor,
    String owner,
    boolean requireExpiry,
    Duration checkCacheTtl,
    Optional<Watcher> watcher,
    UpdateMode mode) {

  public UpdaterConfig {
    guards = List.copyOf(guards);
    gates = List.copyOf(gates);
    listeners = List.copyOf(listeners);
    before = copy(before);
    after = copy(after);
  }

  private static Map<Step, List<Hook>> copy(Map<Step, List<Hook>> hooks) {
    Map<Step, List<Hook>> copy = new EnumMap<>(Step.class);
    hooks.forEach((step, list) -> copy.put(step, List.copyOf(list)));
    return java.util.Collections.unmodifiableMap(copy);
  }

  /** The hooks to run before {@code step}, possibly none. */
  public List<Hook> before(Step step) {
    return before.getOrDefault(step, List.of());
  }

  /** The hooks to run after {@code step}, possibly none. */
  public List<Hook> after(Step step) {
    return after.getOrDefault(step, List.of());
  }
}
