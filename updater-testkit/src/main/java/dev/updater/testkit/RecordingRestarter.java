package dev.updater.testkit;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.Restarter;
import java.util.List;

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
public final class RecordingRestarter implements Restarter {
  private final ContextRecorder recorder = new ContextRecorder();

  private RecordingRestarter() {}

  /** A fake that succeeds on every call until told otherwise. */
  public static RecordingRestarter create() {
    return new RecordingRestarter();
  }

  @Override
  public void restart(UpdateContext context) throws Exception {
    recorder.record(context);
  }

  /** Makes call number {@code n} (from 1) throw {@code failure}; later calls succeed. */
  public RecordingRestarter failOnCall(int n, Exception failure) {
    recorder.failures().failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} and every later call throw {@code failure}. */
  public RecordingRestarter failFromCall(int n, Exception failure) {
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
