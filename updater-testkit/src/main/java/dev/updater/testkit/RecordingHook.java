package dev.updater.testkit;

import dev.updater.core.Hook;
import dev.updater.core.UpdateContext;

/**
 * A {@link Hook} that records the {@link UpdateContext} of every call and can be
 * told to fail at call N. A failure stops the operation with {@code HOOK_FAILED}.
 *
 * <pre>{@code
 * RecordingHook hook = RecordingHook.create()
 *     .failOnCall(1, new IOException("npm ci failed"));
 * Updater updater = Updater.builder()...after(Step.STAGE, hook).build();
 * ...
 * assertThat(hook.calls()).extracting(UpdateContext::to).containsExactly(v110);
 * }</pre>
 *
 * <p>Every call is recorded, including the ones told to fail. Thread-safe.
 */
public final class RecordingHook extends ContextRecorder<RecordingHook> implements Hook {

  private RecordingHook() {}

  /** A fake that succeeds on every call until told otherwise. */
  public static RecordingHook create() {
    return new RecordingHook();
  }

  @Override
  public void run(UpdateContext context) throws Exception {
    record(context);
  }
}
