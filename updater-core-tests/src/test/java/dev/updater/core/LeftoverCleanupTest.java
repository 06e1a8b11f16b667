package dev.updater.core;

import static dev.updater.core.CrashHome.V1;
import static dev.updater.core.CrashHome.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leftovers of a killed run: a half-extracted staging directory, a temporary link
 * of a switch, and partial or finished downloads whose bytes are not the published ones. The next
 * run deletes them or re-verifies them before use; a leftover never ends up in a release.
 */
class LeftoverCleanupTest {
  @TempDir Path tmp;

  private CrashHome fx;
  private Artifact artifact;

  @BeforeEach
  void installTheOldRelease() throws IOException {
    fx = CrashHome.create(tmp);
    fx.updater().install(fx.release(V1));
    artifact = fx.release(V2).primaryArtifact();
  }

  @Test
  void deletesAHalfExtractedStagingDirectoryLeftByAnEarlierRun() throws Exception {
    Path leftover = Files.createDirectories(fx.staging().resolve(V2 + "-xyz"));
    Files.writeString(leftover.resolve("VERSION"), "tampered");
    Files.createDirectories(leftover.resolve("bin"));
    Files.writeString(leftover.resolve("bin/app"), "#!/bin/sh\necho evil\n");

    UpdateResult result = fx.updater().install(fx.release(V2));

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    fx.assertLive(V2);
    assertThat(leftover).doesNotExist();
    fx.assertNoStagingLeft();
  }

  @Test
  void deletesATemporaryLinkLeftByAKilledSwitch() throws Exception {
    Path link = Files.createSymbolicLink(fx.home.resolve(".current.tmp-killed"),
        Path.of("releases", V1.toString()));

    fx.updater().install(fx.release(V2));

    fx.assertLive(V2);
    assertThat(link).doesNotExist();
  }

  @Test
  void failsVerificationOnceAndDeletesAPartialDownloadWithTamperedBytes() throws Exception {
    byte[] published = Files.readAllBytes(fx.archive(V2));
    byte[] tampered = Arrays.copyOf(published, published.length / 2);
    tampered[tampered.length - 1] ^= 0x5a;
    Path part = Files.createDirectories(fx.downloads()).resolve(artifact.sha256() + ".part");
    Files.write(part, tampered);
    Updater updater = fx.updater();

    // The prefix is resumed from, but the whole file is hashed before use.
    assertThatThrownBy(() -> updater.install(fx.release(V2)))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
          assertThat(e.step()).contains(Step.VERIFY);
        });

    fx.assertLive(V1);
    assertThat(part).doesNotExist();
    assertThat(fx.layout.release(V2)).doesNotExist();
    fx.assertNoStagingLeft();
    assertThat(updater.install(fx.release(V2)))
        .isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    fx.assertLive(V2);
    assertBackToBaseline(updater);
  }

  @Test
  void restartsADownloadWhosePartialFileIsLongerThanTheArtifact() throws Exception {
    Path part = Files.createDirectories(fx.downloads()).resolve(artifact.sha256() + ".part");
    Files.write(part, new byte[(int) artifact.size() + 1]);
    Updater updater = fx.updater();

    assertThat(updater.install(fx.release(V2)))
        .isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));

    fx.assertLive(V2);
    assertBackToBaseline(updater);
  }

  @Test
  void hashesAgainAndDownloadsAgainAFinishedDownloadWhoseBytesWereChanged() throws Exception {
    // Downloads are not forced to disk: after a power loss a finished one may hold other bytes.
    byte[] tampered = Files.readAllBytes(fx.archive(V2));
    tampered[tampered.length / 2] ^= 0x5a;
    Path done = Files.createDirectories(fx.downloads())
        .resolve(artifact.sha256() + "-" + artifact.name());
    Files.write(done, tampered);
    Updater updater = fx.updater();

    assertThat(updater.install(fx.release(V2)))
        .isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));

    fx.assertLive(V2);
    assertBackToBaseline(updater);
  }

  /** After a completed update nothing but the releases is left: no downloads, no staging. */
  private void assertBackToBaseline(Updater updater) throws IOException {
    assertThat(updater.status().state()).isEqualTo(State.COMPLETE);
    assertThat(fx.downloads()).doesNotExist();
    fx.assertNoStagingLeft();
  }
}
