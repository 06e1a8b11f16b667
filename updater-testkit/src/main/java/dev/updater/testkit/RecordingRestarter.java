package dev.updater.testkit;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.Restarter;

/**
 * A {@link Restarter} that records the {@link UpdateContext} of every call and can be
 * told to fail at call N. A failure makes the pipeline report {@code RESTART_FAILED}.
 *
 * <pre>{@code
 * RecordingRestarter restarter = RecordingRestarter.create()
 *     .failOnCall(2, new IOException("systemctl: unit myapp not found"));
 * Updater updater = Updater.builder()...restarter(restarter).build();
 * ...
 * assertThat(restarter.calls()).extracting(UpdateContext::to).containsExactly(v110);
 * }</pre>
 *
 * <p>Every call is recorded, including the ones told to fail. Thread-safe.
 */
public final class RecordingRestarter extends ContextRecorder<RecordingRestarter> implements Restarter {

  private RecordingRestarter() {}

  /** A fake that succeeds on every call until told otherwise. */
  public static RecordingRestarter create() {
    return new RecordingRestarter();
  }

  @Override
  public void restart(UpdateContext context) throws Exception {
    record(context);
  }
}
