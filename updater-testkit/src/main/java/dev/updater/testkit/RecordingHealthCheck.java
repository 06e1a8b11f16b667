package dev.updater.testkit;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.HealthCheck;
import java.util.List;

/**
 * A {@link HealthCheck} that records the {@link UpdateContext} of every call and can be
 * told to fail at call N. A failure means unhealthy: the pipeline puts the previous release back.
 *
 * <pre>{@code
 * RecordingHealthCheck health = RecordingHealthCheck.create()
 *     .failOnCall(2, new IllegalStateException("/api/health answered 503"));
 * Updater updater = Updater.builder()...healthCheck(health).build();
 * ...
 * assertThat(health.calls()).extracting(UpdateContext::to).containsExactly(v110);
 * }</pre>
 *
 * <p>Every call is recorded, including the ones told to fail. Thread-safe.
 */
public final class RecordingHealthCheck implements HealthCheck {
  private final ContextRecorder recorder = new ContextRecorder();

  private RecordingHealthCheck() {}

  /** A fake that succeeds on every call until told otherwise. */
  public static RecordingHealthCheck create() {
    return new RecordingHealthCheck();
  }

  @Override
  public void check(UpdateContext context) throws Exception {
    recorder.record(context);
  }

  /** Makes call number {@code n} (from 1) throw {@code failure}; later calls succeed. */
  public RecordingHealthCheck failOnCall(int n, Exception failure) {
    recorder.failures().failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} and every later call throw {@code failure}. */
  public RecordingHealthCheck failFromCall(int n, Exception failure) {
    recorder.failures().failFromCall(n, failure);
    return this;
  }

  /** The contexts of every call so far, in order, failed calls included. */
  public List<UpdateContext> calls() {
    return recorder.calls();
  }

  /** How many times it was called. */
  public int callCount() {
    return recorder.calls().size();
  }
}
