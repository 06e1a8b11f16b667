package dev.updater.snippets.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.DataLossException;
import dev.updater.core.spi.LockStore;
import dev.updater.core.spi.Stager;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.testkit.Failures;
import dev.updater.testkit.FaultyFileSystem;
import dev.updater.testkit.InMemoryLockStore;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.LockStoreContract;
import dev.updater.testkit.MutableClock;
import dev.updater.testkit.RecordingGuard;
import dev.updater.testkit.RecordingHealthCheck;
import dev.updater.testkit.RecordingListener;
import dev.updater.testkit.RecordingRestarter;
import dev.updater.testkit.Updaters;
import dev.updater.testkit.crash.ChildJvm;
import dev.updater.testkit.crash.CrashChecks;
import dev.updater.testkit.crash.FaultPoint;
import dev.updater.testkit.crash.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Java blocks of docs/testing.md. */
final class TestingSnippets {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");
  MutableClock clock;
  Updater updater;
  Release next;
  Layout layout;
  RecordingRestarter restarter;
  RecordingListener events;
  Redis redis;

  /** The client of an imagined Redis, for the contract example. */
  interface Redis {}

  /** The imagined adapter the contract example tests. */
  static final class RedisLockStore {
    private RedisLockStore() {}

    static LockStore create(Redis redis, String key, Clock clock) {
      throw new UnsupportedOperationException("an imagined adapter, shown in docs/testing.md");
    }
  }

  void failing_at_call_n() throws Exception {
    // tag::failing-at-call-n[]
    RecordingHealthCheck health = RecordingHealthCheck.create()
        .failOnCall(1, new IllegalStateException("/api/health answered 503"));   // first check fails
    RecordingRestarter restarter = RecordingRestarter.create()
        .failFromCall(1, new IOException("systemctl: unit myapp not found"));    // every restart fails
    RecordingGuard guard = RecordingGuard.create()
        .failVerifyOnCall(1, new DataLossException("orders", 120, 0));
    InMemoryReleaseSource source = InMemoryReleaseSource.create()
        .failOpenOnCall(1, new IOException("connection reset"))                  // first download
        .failIndexOnCall(3, new IOException("503"));
    InMemoryLockStore locks = InMemoryLockStore.create(clock)
        .failOnCall(1, new IOException("lock table unreachable"));               // counts all methods
    RecordingListener events = RecordingListener.create()
        .failOnCall(2, new RuntimeException("listener bug"));                    // must not stop an update
    // end::failing-at-call-n[]
  }

  void failing_at_call_n_2() throws Exception {
    // tag::failure-assertions[]
    assertThatThrownBy(() -> updater.install(next))
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(UpdateException.Reason.HEALTH_CHECK_FAILED));
    assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo("1.0.0");
    assertThat(restarter.calls()).extracting(UpdateContext::to).endsWith(V2, V1);
    assertThat(events.eventsOf(UpdateEvent.RolledBack.class)).hasSize(1);
    // end::failure-assertions[]
  }

  // tag::flaky-stager[]
  final class FlakyStager implements Stager {
    final Failures<IOException> failures = Failures.create();
    private final Stager real = ArchiveStager.defaults();

    @Override
    public void stage(Path file, Artifact artifact, Path target) throws IOException {
      failures.call();                       // throws what was scheduled for this call, if anything
      real.stage(file, artifact, target);
    }
  }
  // end::flaky-stager[]

  // tag::lock-store-contract[]
  class RedisLockStoreContractTest extends LockStoreContract {
    @Override
    protected LockStore createLockStore(MutableClock clock) {
      return RedisLockStore.create(redis, "myapp:update-lock", clock);   // a fresh, free lock
    }

    @Override   // optional: a second instance on the same lock, as another node would have
    protected LockStore anotherHandle(LockStore store, MutableClock clock) {
      return RedisLockStore.create(redis, "myapp:update-lock", clock);
    }
  }
  // end::lock-store-contract[]

  /**
   * The crash kit's example, as the testkit's {@code CrashKitExampleTest} runs it: compiled here,
   * run there (its setup publishes 1.0.0 and 1.1.0 and fills {@code trees}).
   */
  static final class CrashKitExample {
    Path home;
    Path repo;
    final Map<Version, TreeSnapshot> trees = new HashMap<>();

    // tag::crash-kit-example[]
    static Updater updater(Path home, Path repo) {           // your updater, the same in both JVMs
      Path schema = Layout.of(home).shared().resolve("data/schema.txt");
      return Updaters.sharing(home, DirectoryReleaseSource.of(repo), "data")
          .migrationRunner(ctx -> Files.writeString(schema, "schema of " + ctx.to()))
          .build();
    }

    public static final class InstallNewest {                 // the child: your "update now" button
      public static void main(String[] args) {
        Updater updater = updater(Path.of(args[0]), Path.of(args[1]));
        updater.check().ifPresent(updater::install);
      }
    }

    @ParameterizedTest
    @EnumSource(value = FaultPoint.class, names = {"AFTER_PUBLISH", "AFTER_SWAP", "AFTER_COMPLETE"})
    void theNextStartSettlesAndTheNextInstallReachesTheNewest(FaultPoint point) throws Exception {
      ChildJvm.of(InstallNewest.class, home.toString(), repo.toString())
          .haltAt(point).run().requireHalted();

      Updater updater = updater(home, repo);                   // the next start
      CrashChecks.assertSettled(updater, trees);               // exactly 1.0.0 or 1.1.0
      assertThat(updater.quarantined()).isEmpty();              // a crash is no release's fault
      CrashChecks.assertConverges(updater, V2);                 // and the next install gets there
    }
    // end::crash-kit-example[]
  }

  /** The power-cut example: {@code updater(home)} builds the application's updater on a home. */
  abstract static class PowerCutExample {
    Release first;
    Release second;

    abstract Updater updater(Path home);

    void aPowerCutDuringAnInstall() throws Exception {
      // tag::power-cut[]
      try (FaultyFileSystem disk = FaultyFileSystem.inMemory()) {
        Path home = Files.createDirectories(disk.path("/opt/app"));
        updater(home).install(first);
        disk.markDurable();                      // as after a clean shutdown
        disk.cutPowerAtWrite(40);
        assertThatThrownBy(() -> updater(home).install(second)).isInstanceOf(UpdateException.class);
        try (FaultyFileSystem rebooted = disk.afterPowerCut()) {
          Updater next = updater(rebooted.path("/opt/app"));
          next.recover();
          // current is exactly the first or the second release
        }
      }
      // end::power-cut[]
    }
  }
}
