package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.spi.Stager;
import dev.updater.core.spi.TreeLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a stager of the host's own gets from the pipeline. One that declares exact trees ({@link
 * Stager#exactTree()}) gets the release's signed per-file manifest checks (a tree that differs
 * from it is refused and the live release stays as it was) and delta installs, in which it is not
 * called at all; one that does not declare it is called as it is, and gets none of them.
 */
class CustomStagerTest {
  /** Large enough that the changed files of 2.0.0 are fewer bytes than its archive. */
  private static final String BIG = randomText(64 * 1024);

  @TempDir
  Path tmp;

  private DeltaRepository repo;
  private Path home;

  @BeforeEach
  void publishAndInstallTheFirstRelease() throws IOException {
    repo = new DeltaRepository(tmp.resolve("repo"));
    home = tmp.resolve("home");
    repo.publish("1.0.0", tar -> tar
        .file("VERSION", "1.0.0\n")
        .dir("bin")
        .file("bin/app", "#!/bin/sh\necho app\n", 0755)
        .file("big.bin", BIG, 0644));
    updater(new TarStager(Tree.EXACT, "")).install(repo.directorySource().index("stable")
        .find(Version.parse("1.0.0")).orElseThrow());
  }

  private Release publishSecond() throws IOException {
    return repo.publish("2.0.0", tar -> tar
        .file("VERSION", "2.0.0\n")
        .dir("bin")
        .file("bin/app", "#!/bin/sh\necho app 2\n", 0755)
        .file("big.bin", BIG, 0644));
  }

  private Updater updater(Stager stager) {
    return Updater.builder().home(home).source(repo.directorySource()).stager(stager)
        .freeSpace(0, 3).checkCacheTtl(Duration.ZERO).build();
  }

  @Test
  void shouldRefuseATreeThatDoesNotMatchTheSignedManifestAndKeepTheLiveRelease()
      throws IOException {
    Release second = publishSecond();
    Map<String, String> before = DeltaInstallTest.snapshot(home);
    TarStager adding = new TarStager(Tree.EXACT, "EXTRA");
    Updater updater = updater(adding);
    deleteKeptManifests(); // no delta install: the stager stages the archive

    assertThatThrownBy(() -> updater.install(second))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.ARCHIVE_REJECTED);
          assertThat(e.step()).contains(Step.STAGE);
          assertThat(e.getMessage()).contains("does not match the release's signed manifest",
              "'EXTRA' is on disk but not in the manifest (an extra file)");
        });

    assertThat(adding.calls.get()).isEqualTo(1);
    assertThat(DeltaInstallTest.snapshot(home)).isEqualTo(before);
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
    assertNoStagingLeft();
  }

  @Test
  void shouldInstallATreeThatMatchesTheSignedManifest() throws IOException {
    Release second = publishSecond();
    TarStager exact = new TarStager(Tree.EXACT, "");
    deleteKeptManifests();

    updater(exact).install(second);

    assertThat(exact.calls.get()).isEqualTo(1);
    assertThat(home.resolve("current/VERSION")).hasContent("2.0.0");
    assertThat(home.resolve("current/bin/app")).hasContent("#!/bin/sh\necho app 2");
  }

  @Test
  void shouldInstallAsADeltaWithoutCallingAStagerOfExactTrees() throws IOException {
    Release second = publishSecond();
    TarStager exact = new TarStager(Tree.EXACT, "");

    updater(exact).install(second);

    assertThat(exact.calls.get()).as("the tree was built from the live release and objects")
        .isZero();
    assertThat(home.resolve("current/VERSION")).hasContent("2.0.0");
    assertThat(home.resolve("current/big.bin")).hasContent(BIG);
  }

  @Test
  void shouldRunAStagerWithoutExactTreesAsItIsWithoutTheManifestChecks() throws IOException {
    Release second = publishSecond();
    TarStager own = new TarStager(Tree.OWN, "EXTRA");

    updater(own).install(second);

    assertThat(own.calls.get()).as("no delta install: the stager always stages").isEqualTo(1);
    assertThat(home.resolve("current/VERSION")).hasContent("2.0.0");
    assertThat(home.resolve("current/EXTRA")).as("its own tree, which no manifest describes")
        .exists();
  }

  /** Forgets the manifest kept for 1.0.0, so that the next install stages its archive. */
  private void deleteKeptManifests() throws IOException {
    Files.deleteIfExists(home.resolve(".updater/manifests/1.0.0.json"));
  }

  private void assertNoStagingLeft() throws IOException {
    Path staging = home.resolve(".updater/staging");
    if (Files.exists(staging)) {
      try (Stream<Path> left = Files.list(staging)) {
        assertThat(left).as("the staging directory is removed").isEmpty();
      }
    }
  }

  /** Whether a {@link TarStager} declares exact trees. */
  enum Tree { EXACT, OWN }

  /**
   * A host's own stager, not the library's: unpacks a {@code .tar.gz} with Commons Compress (no
   * checks of its own), and writes one more file when told to. Counts its calls.
   */
  static final class TarStager implements Stager {
    final AtomicInteger calls = new AtomicInteger();
    private final Tree tree;
    private final String extraFile;

    TarStager(Tree tree, String extraFile) {
      this.tree = tree;
      this.extraFile = extraFile;
    }

    @Override
    public void stage(Path file, Artifact artifact, Path target) throws IOException {
      calls.incrementAndGet();
      try (InputStream in = Files.newInputStream(file);
          TarArchiveInputStream tar = new TarArchiveInputStream(
              new GzipCompressorInputStream(in))) {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          Path out = target.resolve(e.getName());
          if (e.isDirectory()) {
            Files.createDirectories(out);
            Files.setPosixFilePermissions(out, permissions(0755));
          } else if (e.isSymbolicLink()) {
            Files.createSymbolicLink(out, Path.of(e.getLinkName()));
          } else {
            Files.createDirectories(out.getParent());
            Files.copy(tar, out);
            Files.setPosixFilePermissions(out, permissions(e.getMode() & 0755));
          }
        }
      }
      if (!extraFile.isEmpty()) {
        Files.writeString(target.resolve(extraFile), "added by the stager\n");
        Files.setPosixFilePermissions(target.resolve(extraFile), permissions(0644));
      }
    }

    @Override
    public Optional<TreeLimits> exactTree() {
      return tree == Tree.EXACT ? Optional.of(new TreeLimits(1000, 1L << 30, 16, 256))
          : Optional.empty();
    }

    private static Set<PosixFilePermission> permissions(int mode) {
      StringBuilder sb = new StringBuilder();
      String rwx = "rwxrwxrwx";
      for (int i = 0; i < 9; i++) {
        sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
      }
      return java.nio.file.attribute.PosixFilePermissions.fromString(sb.toString());
    }
  }

  private static String randomText(int length) {
    Random random = new Random(11);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}
