package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.Version;
import dev.updater.core.spi.DataLossException;
import dev.updater.core.spi.MigrationGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordingFakesTest {
  private static final Layout LAYOUT = Layout.of(Path.of("/opt/app"));

  @Test
  void restarterRecordsEveryContextInOrder() throws Exception {
    RecordingRestarter restarter = RecordingRestarter.create();

    restarter.restart(context(Step.RESTART, "1.1.0"));
    restarter.restart(context(Step.RESTART, "1.0.0"));

    assertThat(restarter.calls()).extracting(UpdateContext::to)
        .containsExactly(Version.parse("1.1.0"), Version.parse("1.0.0"));
    assertThat(restarter.callCount()).isEqualTo(2);
  }

  @Test
  void restarterFailsAtTheToldCallAndStillRecordsIt() throws Exception {
    IOException failure = new IOException("systemctl: unit not found");
    RecordingRestarter restarter = RecordingRestarter.create().failOnCall(2, failure);

    restarter.restart(context(Step.RESTART, "1.1.0"));
    assertThatThrownBy(() -> restarter.restart(context(Step.RESTART, "1.0.0"))).isSameAs(failure);
    restarter.restart(context(Step.RESTART, "1.0.0"));

    assertThat(restarter.callCount()).isEqualTo(3);
  }

  @Test
  void migrationRunnerFailsFromTheToldCallOn() throws Exception {
    IllegalStateException failure = new IllegalStateException("schema locked");
    RecordingMigrationRunner runner = RecordingMigrationRunner.create().failFromCall(1, failure);

    assertThatThrownBy(() -> runner.migrate(context(Step.MIGRATE, "1.1.0"))).isSameAs(failure);
    assertThatThrownBy(() -> runner.migrate(context(Step.MIGRATE, "1.1.0"))).isSameAs(failure);
    assertThat(runner.calls()).extracting(UpdateContext::step)
        .containsExactly(Step.MIGRATE, Step.MIGRATE);
  }

  @Test
  void healthCheckIsHealthyUntilToldOtherwise() throws Exception {
    RecordingHealthCheck health = RecordingHealthCheck.create()
        .failOnCall(2, new IllegalStateException("503"));

    health.check(context(Step.CONFIRM, "1.1.0"));

    assertThatThrownBy(() -> health.check(context(Step.CONFIRM, "1.1.0"))).hasMessage("503");
    assertThat(health.callCount()).isEqualTo(2);
  }

  @Test
  void hookRecordsTheStepItRanIn() throws Exception {
    RecordingHook hook = RecordingHook.create();

    hook.run(context(Step.STAGE, "1.1.0"));

    assertThat(hook.calls()).extracting(UpdateContext::step).containsExactly(Step.STAGE);
  }

  @Test
  void guardRecordsSnapshotsAndTheVerificationOfEachCheck() throws Exception {
    RecordingGuard guard = RecordingGuard.create();
    UpdateContext first = context(Step.BACKUP, "1.1.0");
    UpdateContext second = context(Step.BACKUP, "1.2.0");

    MigrationGuard.Check check1 = guard.snapshot(first);
    MigrationGuard.Check check2 = guard.snapshot(second);
    check2.verify();

    assertThat(guard.snapshots()).containsExactly(first, second);
    assertThat(guard.verifications()).containsExactly(second);
    check1.verify();
    assertThat(guard.verifications()).containsExactly(second, first);
  }

  @Test
  void guardCanReportDataLossAtTheToldVerification() throws Exception {
    DataLossException loss = new DataLossException("orders", 120, 0);
    RecordingGuard guard = RecordingGuard.create().failVerifyOnCall(1, loss);

    MigrationGuard.Check check = guard.snapshot(context(Step.BACKUP, "1.1.0"));

    assertThatThrownBy(check::verify).isSameAs(loss);
  }

  @Test
  void guardCanFailTheToldSnapshot() {
    IOException noBackup = new IOException("backup disk full");
    RecordingGuard guard = RecordingGuard.create().failSnapshotOnCall(1, noBackup);

    assertThatThrownBy(() -> guard.snapshot(context(Step.BACKUP, "1.1.0"))).isSameAs(noBackup);
    assertThat(guard.snapshots()).hasSize(1);
    assertThat(guard.verifications()).isEmpty();
  }

  @Test
  void fakesRefuseANullContext() {
    RecordingRestarter restarter = RecordingRestarter.create();

    assertThatThrownBy(() -> restarter.restart(null)).isInstanceOf(NullPointerException.class);
  }

  private static UpdateContext context(Step step, String to) {
    Version version = Version.parse(to);
    return new UpdateContext(Operation.INSTALL, step, Optional.of(Version.parse("1.0.0")), version,
        LAYOUT, LAYOUT.release(version));
  }
}
