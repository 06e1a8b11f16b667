package dev.updater.core.spi;

import dev.updater.core.Version;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Receives the anonymous telemetry heartbeat of an install, for the vendor's operational view:
 * running version, installed version, whether an update is available, and the database provider;
 * nothing else, and nothing that identifies the install. Off unless the host passes a sink to the
 * scheduler or the admin API.
 *
 * <pre>{@code
 * UpdateScheduler.builder(updater)
 *     .telemetry(HttpTelemetrySink.to(URI.create("https://telemetry.example.com/heartbeat")))
 *     .build();
 * }</pre>
 *
 * <p>Called after an update check on the thread that made it; a sink that throws is logged and
 * never affects the check or an update. Implementations must be thread-safe and should not block
 * for long (use timeouts).
 */
@FunctionalInterface
public interface TelemetrySink {

  /** Sends nothing: the default, telemetry off. */
  TelemetrySink NONE = heartbeat -> { };

  /**
   * Sends one heartbeat.
   *
   * @throws Exception when it could not be sent; logged by the caller, never retried at once
   */
  void send(Heartbeat heartbeat) throws Exception;

  /**
   * The whole content of a heartbeat: exactly these four facts.
   *
   * <p>Immutable and thread-safe.
   *
   * @param runningVersion the version the process runs, when the host told the builder
   * @param installedVersion the version {@code current} points at, if any
   * @param updateAvailable whether the last check found a newer release
   * @param databaseProvider the install's database provider (such as {@code postgresql}), when a
   *     gate reports one
   */
  record Heartbeat(Optional<Version> runningVersion, Optional<Version> installedVersion,
      boolean updateAvailable, Optional<String> databaseProvider) {

    public Heartbeat {
      Objects.requireNonNull(runningVersion, "runningVersion");
      Objects.requireNonNull(installedVersion, "installedVersion");
      Objects.requireNonNull(databaseProvider, "databaseProvider");
    }

    /**
     * The provider to report from a gate's {@code database} fact: the fact when it is a plain
     * provider name (letters, digits, {@code . _ -}, at most 64), empty when it is absent or says
     * why the provider is unknown ({@code unavailable: ...}), so that no error text (which may name
     * hosts) leaves the install.
     */
    public static Optional<String> providerOf(String fact) {
      return fact != null && fact.matches("[A-Za-z0-9._-]{1,64}") ? Optional.of(fact)
          : Optional.empty();
    }

    /**
     * The heartbeat as JSON fields, in this order: {@code runningVersion},
     * {@code installedVersion} (strings or null), {@code updateAvailable} (boolean) and
     * {@code databaseProvider} (string or null). Read-only.
     */
    public Map<String, Object> toJsonFields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("runningVersion", runningVersion.map(Version::toString).orElse(null));
      fields.put("installedVersion", installedVersion.map(Version::toString).orElse(null));
      fields.put("updateAvailable", updateAvailable);
      fields.put("databaseProvider", databaseProvider.orElse(null));
      return Collections.unmodifiableMap(fields);
    }
  }
}
