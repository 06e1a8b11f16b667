package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.RecordingMigrationRunner;
import dev.updater.testkit.ReleaseArchives;
import dev.updater.testkit.TestHome;
import dev.updater.testkit.TestHomes;
import dev.updater.testkit.Updaters;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An install interrupted after its switch is put back, but its release is not to blame: it is not
 * quarantined, and the next check offers it again. A release that fails after its switch is
 * quarantined, as before.
 */
class InterruptedInstallTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");

  @Test
  void anInstallInterruptedDuringItsMigrationQuarantinesNothingAndIsOfferedAgain()
      throws Exception {
    try (TestHome home = TestHomes.jimfs()) {
      InMemoryReleaseSource source = InMemoryReleaseSource.create();
      source.publish(V1, archive("1.0.0"));
      source.publish(V2, archive("1.1.0"));
      RecordingMigrationRunner migrations = RecordingMigrationRunner.create()
          .failOnCall(2, new InterruptedException("the host is shutting down"));
      Updater updater = Updaters.builder(home.layout().home(), source)
          .migrationRunner(migrations).build();
      updater.install(updater.find(V1).orElseThrow());
      Release next = updater.check().orElseThrow();

      assertThatThrownBy(() -> updater.install(next))
          .isInstanceOfSatisfying(UpdateException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.INTERRUPTED));
      Thread.interrupted(); // the updater kept the interrupt for this thread: clear it

      assertThat(updater.status().installed()).contains(V1);
      assertThat(updater.quarantined()).isEmpty();
      assertThat(updater.check().map(Release::version)).contains(V2);
      assertThat(updater.install(next)).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    }
  }

  @Test
  void anInstallWhoseMigrationFailsIsQuarantined() throws Exception {
    try (TestHome home = TestHomes.jimfs()) {
      InMemoryReleaseSource source = InMemoryReleaseSource.create();
      source.publish(V1, archive("1.0.0"));
      source.publish(V2, archive("1.1.0"));
      RecordingMigrationRunner migrations = RecordingMigrationRunner.create()
          .failOnCall(2, new IllegalStateException("column exists"));
      Updater updater = Updaters.builder(home.layout().home(), source)
          .migrationRunner(migrations).build();
      updater.install(updater.find(V1).orElseThrow());
      Release next = updater.check().orElseThrow();

      assertThatThrownBy(() -> updater.install(next))
          .isInstanceOfSatisfying(UpdateException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.MIGRATION_FAILED));

      assertThat(updater.status().installed()).contains(V1);
      assertThat(updater.quarantined()).extracting(QuarantinedRelease::version)
          .containsExactly(V2);
      assertThat(updater.check()).isEmpty();
    }
  }

  private static byte[] archive(String version) {
    return ReleaseArchives.builder().file("VERSION", version).tarGz();
  }
}
