// tag::whole-flow[]
package com.example.myapp;

import static dev.updater.core.UpdateEvent.Operation.INSTALL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateResult;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.testkit.InMemoryLockStore;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.MutableClock;
import dev.updater.testkit.RecordingListener;
import dev.updater.testkit.RecordingMigrationRunner;
import dev.updater.testkit.RecordingRestarter;
import dev.updater.testkit.ReleaseArchives;
import dev.updater.testkit.TestHome;
import dev.updater.testkit.TestHomes;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpgradeFlowTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");

  @Test
  void upgradesKeepingSharedDataAndRollsBack() throws Exception {
    try (TestHome home = TestHomes.jimfs()) {            // /home/app on an in-memory file system
      Layout layout = home.layout();
      InMemoryReleaseSource source = InMemoryReleaseSource.create();
      Release first = source.publish(V1, releaseArchive("1.0.0"));   // channel "stable"
      source.publish(V2, releaseArchive("1.1.0"));
      RecordingRestarter restarter = RecordingRestarter.create();
      RecordingMigrationRunner migrations = RecordingMigrationRunner.create();
      RecordingListener events = RecordingListener.create();
      MutableClock clock = MutableClock.create();
      Updater updater = Updater.builder()
          .home(layout.home())
          .source(source)
          .activator(SymlinkActivator.builder(layout).shared("data").build())
          .lockStore(InMemoryLockStore.create(clock))
          .restarter(restarter)
          .migrationRunner(migrations)
          .listener(events)
          .clock(clock)
          .build();

      updater.install(first);
      Files.createDirectories(layout.shared().resolve("data"));
      Files.writeString(layout.shared().resolve("data/db.txt"), "rows");
      events.clear();
      Release next = updater.check().orElseThrow();
      assertThat(updater.install(next)).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));

      assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/1.1.0");
      assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo("1.1.0");
      assertThat(Files.readString(layout.current().resolve("data/db.txt"))).isEqualTo("rows");
      assertThat(migrations.calls()).filteredOn(c -> c.to().equals(V2))
          .containsExactly(new UpdateContext(INSTALL, Step.MIGRATE, Optional.of(V1), V2, layout,
              layout.release(V2)));
      assertThat(restarter.calls()).filteredOn(c -> c.to().equals(V2)).hasSize(1);
      assertThat(events.steps()).containsExactly(Step.values());
      assertThat(updater.status().state()).isEqualTo(UpdateStatus.State.COMPLETE);

      assertThat(updater.rollback()).isEqualTo(new UpdateResult.RolledBack(V2, V1));
      assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo("1.0.0");
    }
  }

  static byte[] releaseArchive(String version) {
    return ReleaseArchives.builder()
        .file("VERSION", version)
        .executable("bin/app", "#!/bin/sh\necho \"app " + version + "\"\n")
        .tarGz();
  }
}
// end::whole-flow[]
