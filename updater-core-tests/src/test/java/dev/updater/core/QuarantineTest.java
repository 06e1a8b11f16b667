package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quarantine of rolled-back releases, on the real disk: a release that an install switched to and
 * had to switch back from, or that an operator rolled back, is no longer offered by {@code
 * check()} or {@code report()} until it is installed by name or unquarantined; failures before the
 * switch quarantine nothing; the state file is read tolerantly.
 */
class QuarantineTest {
  @TempDir Path tmp;

  private Path home;
  private Layout layout;
  private TestRepository repo;
  private Release r110;
  private final List<UpdateContext> restarts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void installOneZeroAndPublishOneOne() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    Release r100 = repo.publish(v("1.0.0"));
    builder().build().install(r100);
    r110 = repo.publish(v("1.1.0"));
    restarts.clear();
  }

  private Updater.Builder builder() {
    return Updaters.builder(home, repo.source())
        .restarter(restarts::add);
  }

  private Path quarantineFile() {
    return layout.state().resolve("quarantine.json");
  }

  private void assertLive(String version) throws IOException {
    assertThat(Files.readSymbolicLink(layout.current())).isEqualTo(Paths.get("releases", version));
  }

  private static UpdateException installFails(Updater updater, Release release) {
    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);
    assertThat(e).as("the install of %s must fail", release.version()).isNotNull();
    return e;
  }

  /** Rolls 1.1.0 back through a migration that fails after the switch. */
  private void failMigrationOf110() {
    installFails(builder().migrationRunner(ctx -> {
      throw new IllegalStateException("column 'email' already exists");
    }).build(), r110);
  }

  @Test
  void aMigrationFailingAfterTheSwitchQuarantinesTheRelease() throws IOException {
    failMigrationOf110();
    Updater updater = builder().build();

    assertLive("1.0.0");
    assertThat(updater.quarantined()).singleElement().satisfies(q -> {
      assertThat(q.version()).isEqualTo(v("1.1.0"));
      assertThat(q.reason()).contains("column 'email' already exists");
    });
    assertThat(updater.check(true)).isEmpty();
    CheckReport report = updater.report(true);
    assertThat(report.update()).isEmpty();
    assertThat(report.latest()).contains(v("1.1.0"));
    assertThat(report.quarantined()).extracting(QuarantinedRelease::version)
        .containsExactly(v("1.1.0"));
  }

  @Test
  void aRestartFailingAfterTheSwitchQuarantinesTheRelease() throws IOException {
    Updater failing = builder().restarter(ctx -> {
      if (ctx.to().equals(v("1.1.0"))) {
        throw new IOException("app 1.1.0 exited with status 1 during start-up");
      }
      restarts.add(ctx);
    }).build();

    UpdateException e = installFails(failing, r110);

    assertThat(e.reason()).isEqualTo(Reason.RESTART_FAILED);
    assertLive("1.0.0");
    assertThat(restarts).singleElement().satisfies(ctx -> assertThat(ctx.to()).isEqualTo(v("1.0.0")));
    assertThat(failing.quarantined()).extracting(QuarantinedRelease::version)
        .containsExactly(v("1.1.0"));
    assertThat(failing.check(true)).isEmpty();
  }

  @Test
  void aVerificationFailureBeforeTheSwitchQuarantinesNothing() throws IOException {
    Path artifact = repo.artifactFile(r110);
    byte[] bytes = Files.readAllBytes(artifact);
    bytes[bytes.length / 2] ^= 1; // the mirror serves a damaged copy
    Files.write(artifact, bytes);
    Updater updater = builder().build();

    UpdateException e = installFails(updater, r110);

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(updater.quarantined()).isEmpty();
    assertThat(quarantineFile()).doesNotExist();
    assertThat(updater.check(true)).map(Release::version).contains(v("1.1.0"));
  }

  @Test
  void anExplicitRollbackQuarantinesTheReleaseRolledBackFrom() throws IOException {
    Updater updater = builder().build();
    updater.install(r110);

    updater.rollback();

    assertLive("1.0.0");
    assertThat(updater.quarantined()).singleElement().satisfies(q -> {
      assertThat(q.version()).isEqualTo(v("1.1.0"));
      assertThat(q.reason()).isEqualTo("rolled back by request");
    });
    assertThat(updater.check(true)).isEmpty();
  }

  @Test
  void anExplicitInstallOfAQuarantinedReleaseWorksAndLiftsTheQuarantine() throws IOException {
    failMigrationOf110();
    Updater updater = builder().build();

    UpdateResult result = updater.install(r110);

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(v("1.0.0")), v("1.1.0")));
    assertLive("1.1.0");
    assertThat(updater.quarantined()).isEmpty();
    assertThat(quarantineFile()).as("the last entry lifted removes the file").doesNotExist();
    updater.downgrade(updater.find(v("1.0.0")).orElseThrow());
    assertThat(updater.check(true)).as("lifted, not merely hidden by the live version")
        .map(Release::version).contains(v("1.1.0"));
  }

  @Test
  void unquarantineLiftsItWithoutInstalling() throws IOException {
    failMigrationOf110();
    Updater updater = builder().build();

    assertThat(updater.unquarantine(v("1.1.0"))).isTrue();

    assertLive("1.0.0");
    assertThat(updater.quarantined()).isEmpty();
    assertThat(updater.check(true)).map(Release::version).contains(v("1.1.0"));
    assertThat(updater.unquarantine(v("1.1.0"))).as("nothing left to lift").isFalse();
  }

  @Test
  void clearErrorLeavesTheQuarantineInPlace() throws IOException {
    failMigrationOf110();
    Updater updater = builder().build();

    updater.clearError();

    assertThat(updater.status().error()).isEmpty();
    assertThat(updater.check(true)).isEmpty();
  }

  @Test
  void aNewerReleaseIsOfferedAndItsInstallDropsTheOutdatedEntry() throws IOException {
    failMigrationOf110();
    Release r120 = repo.publish(v("1.2.0"));
    Updater updater = builder().build();

    assertThat(updater.check(true)).contains(r120);
    assertThat(updater.report(true).quarantined()).extracting(QuarantinedRelease::version)
        .containsExactly(v("1.1.0"));
    updater.install(r120);

    assertLive("1.2.0");
    assertThat(quarantineFile()).doesNotExist();
  }

  @Test
  void aCorruptQuarantineFileIsIgnoredWithAWarningAndReplacedOnTheNextWrite() throws IOException {
    Files.writeString(quarantineFile(), "{\"quarantined\": [{\"version\": \"1.1");
    Updater updater = builder().build();

    try (RecordingLogs.Capture logs = RecordingLogs.capture()) {
      assertThat(updater.check(true)).map(Release::version).contains(v("1.1.0"));
      assertThat(updater.quarantined()).isEmpty();
      assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN")
          && l.contains("unreadable quarantine file"));
    }

    failMigrationOf110();

    assertThat(Files.readString(quarantineFile())).contains("\"1.1.0\"");
    assertThat(updater.quarantined()).extracting(QuarantinedRelease::version)
        .containsExactly(v("1.1.0"));
    assertThat(updater.check(true)).isEmpty();
  }
}
