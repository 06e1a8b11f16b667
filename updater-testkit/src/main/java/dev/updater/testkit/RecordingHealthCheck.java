package dev.updater.testkit;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.HealthCheck;

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
public final class RecordingHealthCheck extends ContextRecorder<RecordingHealthCheck> implements HealthCheck {

  private RecordingHealthCheck() {}

  /** A fake that succeeds on every call until told otherwise. */
  public static RecordingHealthCheck create() {
    return new RecordingHealthCheck();
  }

  @Override
  public void check(UpdateContext context) throws Exception {
    record(context);
  }
}
