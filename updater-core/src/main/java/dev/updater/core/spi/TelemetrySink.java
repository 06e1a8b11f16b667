package dev.updater.core.spi;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import dev.updater.core.Version;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Receives the anonymous telemetry of an install, for the vendor's operational view. Two kinds,
 * each off unless the host turns it on:
 *
 * <ul>
 *   <li>the <b>heartbeat</b> after an update check: running version, installed version, whether an
 *       update is available, and the database provider; nothing else, and nothing that identifies
 *       the install. On when the host passes a sink to the scheduler or the admin API.
 *   <li>the <b>result</b> of each operation (an install that succeeded, was refused, failed or was
 *       rolled back, a rollback, a repair, a recovery): the versions, the outcome, the machine-
 *       readable reason and the install's random id, so the vendor can tell which installs took a
 *       release and which rolled it back. No message text (it may name hosts or paths). On when
 *       the host passes a sink to {@code Updater.Builder.reportResults}.
 * </ul>
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
   * Sends the result of one operation. Called after the result is written to the install's
   * history, on the thread that ran the operation (or the next check or confirmation), only when
   * the host opted in with {@code Updater.Builder.reportResults(sink)}. Results arrive in the
   * order of the history, at least once: after a crash, or with two processes reporting, one may
   * arrive twice, with the same {@code installId} and {@code at}. The default drops it, so a
   * heartbeat-only sink (such as a lambda) needs no change.
   *
   * @throws Exception when it could not be sent; logged by the caller and sent again, with the
   *     results after it, by the next operation, check or confirmation; it never changes the
   *     operation's outcome
   */
  default void sendResult(Result result) throws Exception {
  }
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

  /**
   * The whole content of a result event: what happened to one operation on one install.
   *
   * <p>Immutable and thread-safe.
   *
   * @param installId the install's random id ({@code .updater/install-id}, also used for staged
   *     rollouts): identifies the install to the vendor, not the person or the machine
   * @param at when the operation ended
   * @param operation what was done
   * @param outcome how it ended
   * @param from the version live before, if any
   * @param to the version aimed at (for a rollback: the version returned to), if any
   * @param reason why it did not succeed, when it did not
   */
  record Result(String installId, Instant at, Operation operation, Outcome outcome,
      Optional<Version> from, Optional<Version> to, Optional<UpdateException.Reason> reason) {

    public Result {
      Objects.requireNonNull(installId, "installId");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(reason, "reason");
    }

    /**
     * The result as JSON fields, in this order: {@code event} (always {@code "result"}, which
     * tells it from a heartbeat), {@code installId}, {@code at} (ISO-8601), {@code operation},
     * {@code outcome}, {@code from}, {@code to} and {@code reason} (strings or null). Read-only.
     */
    public Map<String, Object> toJsonFields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("event", "result");
      fields.put("installId", installId);
      fields.put("at", at.toString());
      fields.put("operation", operation.name());
      fields.put("outcome", outcome.name());
      fields.put("from", from.map(Version::toString).orElse(null));
      fields.put("to", to.map(Version::toString).orElse(null));
      fields.put("reason", reason.map(Enum::name).orElse(null));
      return Collections.unmodifiableMap(fields);
    }
  }
}
