package dev.updater.testkit;

import dev.updater.core.Hook;
import dev.updater.core.UpdateContext;
import java.util.List;

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
public final class RecordingHook implements Hook {
  private final ContextRecorder recorder = new ContextRecorder();

  private RecordingHook() {}

  /** A fake that succeeds on every call until told otherwise. */
  public static RecordingHook create() {
    return new RecordingHook();
  }

  @Override
  public void run(UpdateContext context) throws Exception {
    recorder.record(context);
  }

  /** Makes call number {@code n} (from 1) throw {@code failure}; later calls succeed. */
  public RecordingHook failOnCall(int n, Exception failure) {
    recorder.failures().failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} and every later call throw {@code failure}. */
  public RecordingHook failFromCall(int n, Exception failure) {
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
