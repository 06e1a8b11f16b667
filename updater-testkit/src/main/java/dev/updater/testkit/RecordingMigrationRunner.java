package dev.updater.testkit;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.MigrationRunner;

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
public final class RecordingMigrationRunner extends ContextRecorder<RecordingMigrationRunner> implements MigrationRunner {

  private RecordingMigrationRunner() {}

  /** A fake that succeeds on every call until told otherwise. */
  public static RecordingMigrationRunner create() {
    return new RecordingMigrationRunner();
  }

  @Override
  public void migrate(UpdateContext context) throws Exception {
    record(context);
  }
}
