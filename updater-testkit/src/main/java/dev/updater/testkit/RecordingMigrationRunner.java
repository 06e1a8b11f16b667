package dev.updater.testkit;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.MigrationRunner;
import java.util.List;

/**
 * A {@link MigrationRunner} that records the {@link UpdateContext} of every call and can be
 * told to fail at call N. A failure makes the pipeline revert the activation
 * ({@code MIGRATION_FAILED}).
 *
 * <pre>{@code
 * RecordingMigrationRunner runner = RecordingMigrationRunner.create()
 *     .failOnCall(2, new SQLException("relation \"orders\" already exists"));
 * Updater updater = Updater.builder()...migrationRunner(runner).build();
 * ...
 * assertThat(runner.calls()).extracting(UpdateContext::to).containsExactly(v110);
 * }</pre>
 *
 * <p>Every call is recorded, including the ones told to fail. Thread-safe.
 */
public final class RecordingMigrationRunner implements MigrationRunner {
  private final ContextRecorder recorder = new ContextRecorder();

  private RecordingMigrationRunner() {}

  /** A fake that succeeds on every call until told otherwise. */
  public static RecordingMigrationRunner create() {
    return new RecordingMigrationRunner();
  }

  @Override
  public void migrate(UpdateContext context) throws Exception {
    recorder.record(context);
  }

  /** Makes call number {@code n} (from 1) throw {@code failure}; later calls succeed. */
  public RecordingMigrationRunner failOnCall(int n, Exception failure) {
    recorder.failures().failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} and every later call throw {@code failure}. */
  public RecordingMigrationRunner failFromCall(int n, Exception failure) {
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
