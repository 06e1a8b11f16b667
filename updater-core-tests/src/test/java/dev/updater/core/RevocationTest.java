package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateScheduler.Tick;
import dev.updater.core.admin.AdminStatus;
import dev.updater.core.admin.UpdateAdmin;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publisher pulls a release back: three installs on different versions read the same revoked
 * index. The one that never took the release is not offered it; the one in auto mode that runs
 * it rolls back to the newest kept release that is not revoked; the one in notify mode that runs
 * it stays on it and shows the revocation and its reason in its status, report and admin API.
 */
class RevocationTest {
  private static final Version V100 = v("1.0.0");
  private static final Version V110 = v("1.1.0");
  private static final String REASON = "corrupts exported reports; 1.2.0 will fix it";

  @TempDir Path tmp;
  private TestRepository repo;

  @BeforeEach
  void publish() throws IOException {
    repo = new TestRepository(tmp.resolve("repo"));
    repo.publish(V100);
    repo.publish(V110);
  }

  private Updater.Builder builder(String name, UpdateMode mode) {
    return Updaters.sharing(tmp.resolve(name), repo.source(), "data").mode(mode);
  }

  private Updater installed(String name, UpdateMode mode, Version... versions) {
    Updater updater = builder(name, mode).build();
    for (Version version : versions) {
      updater.install(updater.find(version).orElseThrow());
    }
    return updater;
  }

  private void revoke110() throws IOException {
    Instant now = Instant.now();
    RepositoryWriter.unsigned(repo.root).revoke("stable", V110, REASON, now,
        now.plus(Duration.ofDays(30)));
  }

  private static String live(Updater updater) throws IOException {
    return Files.readString(updater.layout().current().resolve("VERSION"));
  }

  @Test
  void threeInstallsOnDifferentVersionsEachDoWhatTheirStateCallsFor() throws IOException {
    Updater onOld = installed("old", UpdateMode.AUTO, V100);
    Updater auto = installed("auto", UpdateMode.AUTO, V100, V110);
    Updater notify = installed("notify", UpdateMode.NOTIFY, V100, V110);

    revoke110();

    try (UpdateScheduler old = UpdateScheduler.builder(onOld).build();
        UpdateScheduler pulling = UpdateScheduler.builder(auto).build();
        UpdateScheduler told = UpdateScheduler.builder(notify).build()) {
      assertThat(old.tick()).as("1.1.0 is never offered").isInstanceOf(Tick.UpToDate.class);
      assertThat(live(onOld)).isEqualTo("1.0.0");
      assertThat(onOld.status().revoked()).isEmpty();

      Tick pulled = pulling.tick();
      assertThat(pulled).isInstanceOfSatisfying(Tick.PulledBack.class, p -> {
        assertThat(p.revocation().version()).isEqualTo(V110);
        assertThat(p.revocation().reason()).isEqualTo(REASON);
        assertThat(p.result()).isEqualTo(new UpdateResult.RolledBack(V110, V100));
      });
      assertThat(live(auto)).isEqualTo("1.0.0");
      assertThat(auto.status().revoked()).isEmpty();
      assertThat(pulling.tick()).as("once back, nothing more happens")
          .isInstanceOf(Tick.UpToDate.class);

      assertThat(told.tick()).isInstanceOf(Tick.UpToDate.class);
      assertThat(live(notify)).as("notify mode changes nothing by itself").isEqualTo("1.1.0");
    }
    Revocation shown = notify.status().revoked().orElseThrow();
    assertThat(shown.version()).isEqualTo(V110);
    assertThat(shown.reason()).isEqualTo(REASON);
    assertThat(notify.report(true).installedRevocation()).contains(shown);
    AdminStatus admin = UpdateAdmin.of(notify).status(true).body();
    assertThat(admin.revoked().version()).isEqualTo("1.1.0");
    assertThat(admin.revoked().reason()).isEqualTo(REASON);
  }

  @Test
  void aRevokedReleaseIsNeitherOfferedNorInstalledByName() throws IOException {
    Updater updater = installed("home", UpdateMode.NOTIFY, V100);
    revoke110();

    CheckReport report = updater.report(true);

    assertThat(report.update()).isEmpty();
    assertThat(report.latest()).as("a revoked release is not the latest").contains(V100);
    assertThat(report.revoked()).extracting(Revocation::version).containsExactly(V110);
    assertThat(updater.check(true)).isEmpty();
    assertThatThrownBy(() -> updater.find(V110))
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(UpdateException.Reason.INCOMPATIBLE))
        .hasMessageContaining("1.1.0 was revoked by its publisher")
        .hasMessageContaining(REASON);
  }

  @Test
  void anAutoInstallWithNoOtherKeptReleaseReportsThatItCannotGoBack() throws IOException {
    Updater only = installed("only", UpdateMode.AUTO, V110);
    revoke110();

    try (UpdateScheduler scheduler = UpdateScheduler.builder(only).build()) {
      assertThat(scheduler.tick()).isInstanceOfSatisfying(Tick.Failed.class, f ->
          assertThat(f.error()).hasMessageContaining("1.1.0 was revoked by its publisher")
              .hasMessageContaining("no other release that is not revoked is kept"));
    }
    assertThat(live(only)).isEqualTo("1.1.0");
  }

  @Test
  void anIndexWithoutRevocationsStillReadsAndARevocationIsSignedInTheIndex()
      throws IOException {
    byte[] old = Files.readAllBytes(repo.root.resolve("channels/stable.json"));
    assertThat(new String(old, StandardCharsets.UTF_8)).doesNotContain("revoked");
    assertThat(MetadataJson.read(old).revoked()).isEmpty();

    revoke110();

    ReleaseIndex index = MetadataJson.read(
        Files.readAllBytes(repo.root.resolve("channels/stable.json")));
    assertThat(index.revocation(V110)).map(Revocation::reason).contains(REASON);
    assertThat(index.find(V110)).as("the release stays listed").isPresent();
    assertThatThrownBy(() -> RepositoryWriter.unsigned(repo.root).revoke("stable", V110, "again",
        Instant.now(), Instant.now().plus(Duration.ofDays(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already revoked");
  }
}
