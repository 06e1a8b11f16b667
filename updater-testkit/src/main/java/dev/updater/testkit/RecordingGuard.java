package dev.updater.testkit;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.MigrationGuard;
import java.util.List;

/**
 * A {@link MigrationGuard} that records when it takes a snapshot and when its check is verified,
 * and can be told to fail either at call N: a failing verification (typically a
 * {@link dev.updater.core.spi.DataLossException}) makes the pipeline revert with
 * {@code DATA_LOSS}.
 *
 * <pre>{@code
 * RecordingGuard guard = RecordingGuard.create()
 *     .failVerifyOnCall(1, new DataLossException("orders", 120, 0));
 * Updater updater = Updater.builder()...guard(guard).build();
 * ...
 * assertThat(guard.snapshots()).hasSize(1);
 * assertThat(guard.verifications()).hasSize(1);
 * }</pre>
 *
 * <p>{@link #verifications()} holds the context of the snapshot whose check was verified. Every
 * call is recorded, including the ones told to fail. Thread-safe.
 */
public final class RecordingGuard implements MigrationGuard {
  private final ContextRecorder.Plain snapshots = new ContextRecorder.Plain();
  private final ContextRecorder.Plain verifications = new ContextRecorder.Plain();

  private RecordingGuard() {}

  /** A guard whose snapshots and checks succeed until told otherwise. */
  public static RecordingGuard create() {
    return new RecordingGuard();
  }

  @Override
  public Check snapshot(UpdateContext context) throws Exception {
    snapshots.record(context);
    return () -> verifications.record(context);
  }

  /** Makes snapshot number {@code n} (from 1) throw {@code failure}. */
  public RecordingGuard failSnapshotOnCall(int n, Exception failure) {
    snapshots.failOnCall(n, failure);
    return this;
  }

  /** Makes verification number {@code n} (from 1) throw {@code failure}. */
  public RecordingGuard failVerifyOnCall(int n, Exception failure) {
    verifications.failOnCall(n, failure);
    return this;
  }

  /** The contexts of every snapshot taken, in order. */
  public List<UpdateContext> snapshots() {
    return snapshots.calls();
  }

  /** The contexts of every check verified, in order (each its snapshot's context). */
  public List<UpdateContext> verifications() {
    return verifications.calls();
  }
}
