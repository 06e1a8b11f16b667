package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged rollouts through the {@link Updater} on the real disk: an install with a known id (written
 * to {@code .updater/install-id}) is offered a release only when its bucket is below the release's
 * rollout; a halted release is offered to no one; {@code install} refuses a release outside the
 * rollout unless asked through {@code installOutsideRollout} or {@code downgrade}.
 */
class StagedRolloutTest {
  static final String INSTALL_ID = "test-install-0001";

  @TempDir Path tmp;

  Path home;
  Layout layout;
  TestRepository repo;
  Updater updater;
  /** This install's bucket for 1.1.0: it is in a rollout above this figure and out at or below. */
  int bucket;

  @BeforeEach
  void installOneZeroZero() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    Files.createDirectories(layout.state());
    Files.writeString(layout.state().resolve("install-id"), INSTALL_ID + "\n");
    bucket = bucket(INSTALL_ID, "1.1.0");
    // Each test republishes the index between checks: no check cache.
    updater = Updaters.builder(home, repo.source())
        .checkCacheTtl(Duration.ZERO).build();
    updater.install(repo.publish(v("1.0.0")));
    repo.publish(v("1.1.0"));
  }

  /** The bucket as docs/cli.md ("Staged rollout") defines it, computed independently. */
  static int bucket(String installId, String version) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((installId + ":" + version).getBytes(StandardCharsets.UTF_8));
      return (int) Long.remainderUnsigned(ByteBuffer.wrap(hash, 0, 8).getLong(), 100);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void rollOut(String version, int percent) throws IOException {
    repo.writeIndex(100 + percent, Optional.empty(),
        r -> r.version().equals(v(version)) ? r.withRollout(percent) : r);
  }

  @Test
  void shouldOfferAReleaseOnlyOnceItsRolloutReachesThisInstallsBucket() throws IOException {
    rollOut("1.1.0", bucket);
    assertThat(updater.check()).isEmpty();

    rollOut("1.1.0", bucket + 1);
    assertThat(updater.check()).map(Release::version).contains(v("1.1.0"));
  }

  @Test
  void shouldGiveTheSameInstallTheSameAnswerOnEveryCheck() throws IOException {
    rollOut("1.1.0", bucket + 1);

    for (int i = 0; i < 5; i++) {
      assertThat(updater.check()).map(Release::version).contains(v("1.1.0"));
    }
    assertThat(Files.readString(layout.state().resolve("install-id"))).isEqualTo(INSTALL_ID + "\n");
  }

  @Test
  void shouldOfferEveryInstallAReleaseAtOneHundredPercent() throws IOException {
    rollOut("1.1.0", 100);

    assertThat(updater.check()).map(Release::version).contains(v("1.1.0"));
  }

  @Test
  void shouldNotOfferAHaltedRelease() throws IOException {
    rollOut("1.1.0", 0);

    assertThat(updater.check()).isEmpty();
  }

  @Test
  void shouldOfferTheNewestReleaseThisInstallIsIn() throws IOException {
    repo.publish(v("1.2.0"));
    repo.writeIndex(7, Optional.empty(),
        r -> r.version().equals(v("1.2.0")) ? r.withRollout(0) : r);

    assertThat(updater.check()).map(Release::version).contains(v("1.1.0"));
  }

  @Test
  void shouldRefuseToInstallAReleaseOutsideItsRolloutAndLeaveTheInstallAsItWas()
      throws IOException {
    rollOut("1.1.0", bucket);
    Release release = updater.find(v("1.1.0")).orElseThrow();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
    assertThat(e.getMessage()).contains("1.1.0 is not in the staged rollout (" + bucket
        + "%) for this install").contains("installOutsideRollout");
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
  }

  @Test
  void shouldRefuseToInstallAHaltedRelease() throws IOException {
    rollOut("1.1.0", 0);
    Release release = updater.find(v("1.1.0")).orElseThrow();

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
    assertThat(e.getMessage()).contains("1.1.0 is halted (its staged rollout is at 0%)");
  }

  @Test
  void shouldInstallAReleaseOutsideItsRolloutWhenAskedOnPurpose() throws IOException {
    rollOut("1.1.0", 0);
    Release release = updater.find(v("1.1.0")).orElseThrow();

    assertThat(updater.installOutsideRollout(release))
        .isEqualTo(new UpdateResult.Updated(Optional.of(v("1.0.0")), v("1.1.0")));
  }

  @Test
  void shouldStillRefuseAnOlderReleaseThroughInstallOutsideRollout() throws IOException {
    updater.install(updater.find(v("1.1.0")).orElseThrow());
    Release older = updater.find(v("1.0.0")).orElseThrow();

    UpdateException e = catchThrowableOfType(() -> updater.installOutsideRollout(older),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.DOWNGRADE_REFUSED);
  }

  @Test
  void shouldLetADowngradeByNameThroughAHaltedRollout() throws IOException {
    updater.install(updater.find(v("1.1.0")).orElseThrow());
    rollOut("1.0.0", 0);
    Release older = updater.find(v("1.0.0")).orElseThrow();

    assertThat(updater.downgrade(older))
        .isEqualTo(new UpdateResult.Updated(Optional.of(v("1.1.0")), v("1.0.0")));
  }

  @Test
  void shouldCreateARandomInstallIdOnceAndKeepIt() throws IOException {
    Path file = layout.state().resolve("install-id");
    Files.delete(file);
    rollOut("1.1.0", 50);

    updater.check();
    String created = Files.readString(file);
    Updater another = Updater.builder().home(home).source(repo.source()).build();
    another.check();
    updater.check();

    assertThat(created.strip()).isEqualTo(UUID.fromString(created.strip()).toString());
    assertThat(Files.readString(file)).isEqualTo(created);
  }
}
