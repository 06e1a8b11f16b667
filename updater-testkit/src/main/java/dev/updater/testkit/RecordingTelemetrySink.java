package dev.updater.testkit;

import dev.updater.core.spi.TelemetrySink;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link TelemetrySink} that keeps every heartbeat instead of sending it, and can be told to fail
 * at call N (as an unreachable collector would), to test that telemetry never affects a check or
 * an update.
 *
 * <pre>{@code
 * RecordingTelemetrySink telemetry = RecordingTelemetrySink.create()
 *     .failOnCall(1, new IOException("collector unreachable"));
 * UpdateScheduler scheduler = UpdateScheduler.builder(updater).telemetry(telemetry).build();
 * ...
 * assertThat(telemetry.heartbeats()).extracting(Heartbeat::updateAvailable).containsExactly(true);
 * }</pre>
 *
 * <p>Every heartbeat is recorded, including the ones told to fail. Thread-safe.
 */
public final class RecordingTelemetrySink implements TelemetrySink {
  private final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
  private final Failures<Exception> failures = Failures.create();

  private RecordingTelemetrySink() {}

  /** A sink that accepts every heartbeat until told otherwise. */
  public static RecordingTelemetrySink create() {
    return new RecordingTelemetrySink();
  }

  @Override
  public void send(Heartbeat heartbeat) throws Exception {
    heartbeats.add(Objects.requireNonNull(heartbeat, "heartbeat"));
    failures.call();
  }

  /** Makes call number {@code n} (from 1) throw {@code failure}; later calls succeed. */
  public RecordingTelemetrySink failOnCall(int n, Exception failure) {
    failures.failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} and every later call throw {@code failure}. */
  public RecordingTelemetrySink failFromCall(int n, Exception failure) {
    failures.failFromCall(n, failure);
    return this;
  }

  /** Every heartbeat so far, in order, failed calls included. */
  public List<Heartbeat> heartbeats() {
    return List.copyOf(heartbeats);
  }

  /** How many times it was called. */
  public int callCount() {
    return failures.calls();
  }
}
