package dev.updater.core;

import dev.updater.core.source.DirectoryReleaseSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed-world tree verification: a release whose signed per-file manifest and
 * archive disagree (an extra file, a missing file, another hash, mode or link target) is refused
 * after extraction and before the staged tree is published; the staging directory is removed and
 * the install is left as it was. Also the manifests no install may follow (paths leaving the
 * release, links out of it).
 */
class ClosedWorldTreeTest {
  private static final Consumer<RawArchives.Tar> TREE = tar -> tar
      .file("VERSION", "2.0.0\n")
      .dir("bin")
      .file("bin/app", "#!/bin/sh\necho app\n", 0755)
      .file("README", "read me\n", 0644)
      .symlink("app", "bin/app");

  @TempDir
  Path tmp;

  private DeltaRepository repo;
  private Path home;
  private Updater updater;

  @BeforeEach
  void setUp() throws IOException {
    repo = new DeltaRepository(tmp.resolve("repo"));
    home = tmp.resolve("home");
    DirectoryReleaseSource signed = repo.directorySource();
    // a source without per-file objects: every install extracts the archive, then checks the tree
    ReleaseSource archivesOnly = new ReleaseSource() {
      @Override
      public ReleaseIndex index(String channel) throws IOException {
        return signed.index(channel);
      }

      @Override
      public InputStream open(Artifact artifact, long offset) throws IOException {
        return signed.open(artifact, offset);
      }
    };
    updater = Updater.builder().home(home).source(archivesOnly).freeSpace(0, 3).checkCacheTtl(Duration.ZERO).build();
    repo.publish("1.0.0", tar -> tar.file("VERSION", "1.0.0\n"));
    updater.install(updater.check().orElseThrow());
  }

  @Test
  void shouldInstallATreeThatMatchesItsManifest() throws IOException {
    repo.publish("2.0.0", TREE);

    updater.install(updater.check().orElseThrow());

    assertThat(home.resolve("current/app")).hasContent("#!/bin/sh\necho app");
  }

  @Test
  void shouldRefuseAnArchiveWithAFileTheManifestDoesNotList() throws IOException {
    assertRefused(entries -> without(entries, "README"), "'README' is on disk but not in the "
        + "manifest (an extra file)");
  }

  @Test
  void shouldRefuseAnArchiveLackingAFileTheManifestLists() throws IOException {
    assertRefused(entries -> with(entries,
        new Entry("LICENSE", Type.FILE, 0644, 3, "ab".repeat(32), "")),
        "'LICENSE' is in the manifest but missing");
  }

  @Test
  void shouldRefuseAFileWithAnotherHash() throws IOException {
    assertRefused(entries -> replace(entries, "README",
        e -> new Entry(e.path(), e.type(), e.mode(), e.size(), "cd".repeat(32), "")),
        "'README' does not have the SHA-256 the manifest lists");
  }

  @Test
  void shouldRefuseAFileWithAnotherMode() throws IOException {
    assertRefused(entries -> replace(entries, "bin/app",
        e -> new Entry(e.path(), e.type(), 0644, e.size(), e.sha256(), "")),
        "'bin/app' has mode 0755 but the manifest says 0644");
  }

  @Test
  void shouldRefuseALinkWithAnotherTarget() throws IOException {
    assertRefused(entries -> replace(entries, "app",
        e -> new Entry(e.path(), e.type(), 0, 0, "", "README")),
        "'app' links to 'bin/app' but the manifest says 'README'");
  }

  @Test
  void shouldRefuseAManifestPathThatLeavesTheRelease() throws IOException {
    assertManifestRefused(entries -> with(entries,
        new Entry("../escaped", Type.FILE, 0644, 0, "00".repeat(32), "")), "'..' segment");
  }

  @Test
  void shouldRefuseAnAbsoluteManifestPath() throws IOException {
    assertManifestRefused(entries -> with(entries,
        new Entry("/etc/cron.d/x", Type.FILE, 0644, 0, "00".repeat(32), "")), "absolute path");
  }

  @Test
  void shouldRefuseAManifestLinkThatLeavesTheRelease() throws IOException {
    assertManifestRefused(entries -> with(entries,
        new Entry("bin/out", Type.SYMLINK, 0, 0, "", "../../etc")), "leaves the release");
  }

  @Test
  void shouldRefuseAManifestPathThroughALink() throws IOException {
    assertManifestRefused(entries -> with(entries,
        new Entry("app/x", Type.FILE, 0644, 0, "00".repeat(32), "")), "which is not a directory");
  }

  /** Publishes 2.0.0 with a manifest {@code edit} changed; the install must refuse it unchanged. */
  private void assertRefused(UnaryOperator<List<Entry>> edit, String why) throws IOException {
    repo.publish("2.0.0", TREE, edit);
    Map<String, String> before = DeltaInstallTest.snapshot(home);

    assertThatThrownBy(() -> updater.install(updater.check().orElseThrow()))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.ARCHIVE_REJECTED);
          assertThat(e.step()).contains(Step.STAGE);
          assertThat(e.getMessage()).contains("does not match the release's signed manifest", why);
        });
    assertUnchanged(before);
  }

  private void assertManifestRefused(UnaryOperator<List<Entry>> edit, String why)
      throws IOException {
    repo.publish("2.0.0", TREE, edit);
    Map<String, String> before = DeltaInstallTest.snapshot(home);

    assertThatThrownBy(() -> updater.install(updater.check().orElseThrow()))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
          assertThat(e.getMessage()).contains("manifest of 2.0.0 is refused", why);
        });
    assertUnchanged(before);
  }

  private void assertUnchanged(Map<String, String> before) throws IOException {
    assertThat(DeltaInstallTest.snapshot(home)).isEqualTo(before);
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
    Path staging = home.resolve(".updater/staging");
    if (Files.exists(staging)) {
      try (Stream<Path> left = Files.list(staging)) {
        assertThat(left).as("the staging directory is removed").isEmpty();
      }
    }
    assertThat(tmp.resolve("escaped")).doesNotExist();
  }

  private static List<Entry> without(List<Entry> entries, String path) {
    return entries.stream().filter(e -> !e.path().equals(path)).toList();
  }

  private static List<Entry> with(List<Entry> entries, Entry extra) {
    return Stream.concat(entries.stream(), Stream.of(extra)).toList();
  }

  private static List<Entry> replace(List<Entry> entries, String path, UnaryOperator<Entry> edit) {
    return entries.stream().map(e -> e.path().equals(path) ? edit.apply(e) : e).toList();
  }
}
