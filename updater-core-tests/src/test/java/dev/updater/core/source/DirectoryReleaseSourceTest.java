package dev.updater.core.source;

import dev.updater.core.Release;
import dev.updater.core.Version;
import dev.updater.core.Artifact;
import dev.updater.core.ReleaseIndex;
import static dev.updater.testkit.Digests.sha256;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryReleaseSourceTest {

  private static final byte[] CONTENT = "0123456789abcdefghij".getBytes(UTF_8);

  @TempDir
  Path base;

  private Path repo;
  private DirectoryReleaseSource source;

  @BeforeEach
  void createRepository() throws IOException {
    repo = Files.createDirectories(base.resolve("repo"));
    Files.write(base.resolve("outside.tar.gz"), CONTENT); // a file a traversal would reach
    source = DirectoryReleaseSource.of(repo);
  }

  @Test
  void shouldReadTheIndexOfAChannel() throws IOException {
    ReleaseIndex published = publish(repo, "stable", artifactAt("releases/1.0.0/app.tar.gz"));

    assertThat(source.index("stable")).isEqualTo(published);
  }

  @Test
  void shouldOpenAnArtifactFromTheStart() throws IOException {
    Artifact artifact = artifactAt("releases/1.0.0/app.tar.gz");
    writeArtifact(repo, artifact);

    try (InputStream in = source.open(artifact, 0)) {
      assertThat(in.readAllBytes()).isEqualTo(CONTENT);
    }
  }

  @Test
  void shouldOpenAnArtifactListedInTheIndexAtAnOffset() throws IOException {
    publish(repo, "stable", artifactAt("releases/1.0.0/app.tar.gz"));
    Artifact listed = source.index("stable").releases().get(0).primaryArtifact();

    try (InputStream in = source.open(listed, 7)) {
      assertThat(in.readAllBytes()).isEqualTo("789abcdefghij".getBytes(UTF_8));
    }
  }

  @Test
  void shouldOpenAnEmptyStreamAtAnOffsetEqualToTheSize() throws IOException {
    Artifact artifact = artifactAt("releases/1.0.0/app.tar.gz");
    writeArtifact(repo, artifact);

    try (InputStream in = source.open(artifact, CONTENT.length)) {
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void shouldRefuseAnOffsetOutsideTheArtifact() throws IOException {
    Artifact artifact = artifactAt("releases/1.0.0/app.tar.gz");
    writeArtifact(repo, artifact);

    assertThatThrownBy(() -> source.open(artifact, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset -1");
    assertThatThrownBy(() -> source.open(artifact, CONTENT.length + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset 21");
  }

  @Test
  void shouldRefuseAnOffsetBeyondAFileShorterThanTheIndexSays() throws IOException {
    Artifact claimed = new Artifact("app.tar.gz", 100, sha256(CONTENT), "releases/1.0.0/app.tar.gz");
    writeArtifact(repo, artifactAt("releases/1.0.0/app.tar.gz"));

    assertThatThrownBy(() -> source.open(claimed, 50))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is 20 bytes, shorter than the offset 50");
  }

  @Test
  void shouldReportAMissingArtifactAsNoSuchFile() {
    Artifact artifact = artifactAt("releases/9.9.9/app.tar.gz");

    assertThatThrownBy(() -> source.open(artifact, 0))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(repo.resolve("releases/9.9.9/app.tar.gz").toString())
        .hasMessageContaining("artifact app.tar.gz is not in the repository");
  }

  @Test
  void shouldReportAnUnpublishedChannelAsNoSuchFileNamingThePath() throws IOException {
    publish(repo, "stable", artifactAt("releases/1.0.0/app.tar.gz"));

    assertThatThrownBy(() -> source.index("beta"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(repo.resolve("channels").resolve("beta.json").toString())
        .hasMessageContaining("channel 'beta' is not published in " + repo);
  }

  @Test
  void shouldReportAMissingRepositoryAsNoSuchFile() {
    DirectoryReleaseSource nowhere = DirectoryReleaseSource.of(base.resolve("absent"));

    assertThatThrownBy(() -> nowhere.index("stable"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("channel 'stable' is not published");
  }

  @Test
  void shouldRefuseAnIndexServedUnderAnotherChannel() throws IOException {
    publish(repo, "stable", artifactAt("releases/1.0.0/app.tar.gz"));
    Files.copy(repo.resolve("channels/stable.json"), repo.resolve("channels/beta.json"));

    assertThatThrownBy(() -> source.index("beta"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("index for channel 'stable' served as 'beta'");
  }

  @Test
  void shouldRefuseAMalformedIndexNamingTheFileAndTheField() throws IOException {
    Files.createDirectories(repo.resolve("channels"));
    Files.writeString(repo.resolve("channels/stable.json"),
        "{\"application\":\"a\",\"channel\":\"stable\",\"serial\":\"7\",\"releases\":[]}");

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessage(repo.resolve("channels/stable.json") + ": serial must be a non-negative "
            + "integer below 2^63, found the string '7'");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "../stable", "a/b", ".hidden", "-x", "stable.json/..", "st able",
      "..", "C:stable", "stable\\..\\x"})
  void shouldRejectAChannelThatIsNotAChannelName(String channel) {
    assertThatThrownBy(() -> source.index(channel))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a channel name");
  }

  @Test
  void shouldRefuseAnIndexLargerThanTheCap() throws IOException {
    Path index = Files.createDirectories(repo.resolve("channels")).resolve("stable.json");
    try (RandomAccessFile file = new RandomAccessFile(index.toFile(), "rw")) {
      file.setLength(MetadataJson.MAX_INDEX_BYTES + 1L);
    }

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is " + (MetadataJson.MAX_INDEX_BYTES + 1) + " bytes, more than the "
            + MetadataJson.MAX_INDEX_BYTES + " bytes an index may have");
  }

  @Test
  void shouldRefuseAnIndexThatIsADirectory() throws IOException {
    Files.createDirectories(repo.resolve("channels/stable.json"));

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("not a regular file");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "../outside.tar.gz",
      "releases/../../outside.tar.gz",
      "releases/%2e%2e/%2e%2e/outside.tar.gz",
      "releases/%2E%2E%2F%2E%2E%2Foutside.tar.gz",
      "..%2foutside.tar.gz",
      "./releases/1.0.0/app.tar.gz",
      "releases//1.0.0/app.tar.gz",
      "releases/1.0.0/app.tar.gz/",
      "releases\\..\\..\\outside.tar.gz",
      "releases/1.0.0/app.tar.gz%00.txt",
      "releases/1.0.0/app.tar.gz?v=1",
      "releases/1.0.0/app.tar.gz#top",
      "releases/1.0.0/%ff.tar.gz",
      "releases/1.0.0/bad name.tar.gz",
      "releases/1.0.0/bad%zz.tar.gz",
  })
  void shouldRefuseALocationThatIsNotARelativePathInsideTheRepository(String location) {
    assertThatThrownBy(() -> source.open(artifactAt(location), 0))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("the location '" + location + "' of artifact app.tar.gz");
  }

  @Test
  void shouldRefuseAnAbsoluteLocation() {
    String location = base.resolve("outside.tar.gz").toUri().getRawPath();

    assertThatThrownBy(() -> source.open(artifactAt(location), 0))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is an absolute path");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"file:", "http://example.com/", "https://example.com/", "jar:file:",
      "C:", "//localhost"})
  void shouldRefuseALocationWithASchemeOrHost(String prefix) {
    String location = prefix + base.resolve("outside.tar.gz").toUri().getRawPath();

    assertThatThrownBy(() -> source.open(artifactAt(location), 0))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("the location '" + location + "'");
  }

  @Test
  void shouldRefuseAnArtifactThatIsASymlinkLeadingOutside() throws IOException {
    Path link = Files.createDirectories(repo.resolve("releases/1.0.0")).resolve("app.tar.gz");
    Files.createSymbolicLink(link, base.resolve("outside.tar.gz"));

    assertThatThrownBy(() -> source.open(artifactAt("releases/1.0.0/app.tar.gz"), 0))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("leads outside the repository");
  }

  @Test
  void shouldRefuseADirectorySymlinkLeadingOutside() throws IOException {
    Path elsewhere = Files.createDirectories(base.resolve("elsewhere/1.0.0"));
    Files.write(elsewhere.resolve("app.tar.gz"), CONTENT);
    Files.createSymbolicLink(repo.resolve("releases"), base.resolve("elsewhere"));

    assertThatThrownBy(() -> source.open(artifactAt("releases/1.0.0/app.tar.gz"), 0))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("leads outside the repository");
  }

  @Test
  void shouldRefuseASymlinkIntoASiblingWhoseNameStartsLikeTheRepository() throws IOException {
    Path sibling = Files.createDirectories(base.resolve("repo-evil"));
    Files.write(sibling.resolve("app.tar.gz"), CONTENT);
    Path link = Files.createDirectories(repo.resolve("releases/1.0.0")).resolve("app.tar.gz");
    Files.createSymbolicLink(link, sibling.resolve("app.tar.gz"));

    assertThatThrownBy(() -> source.open(artifactAt("releases/1.0.0/app.tar.gz"), 0))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("leads outside the repository");
  }

  @Test
  void shouldRefuseAnIndexThatIsASymlinkLeadingOutside() throws IOException {
    Path other = Files.createDirectories(base.resolve("other"));
    ReleaseIndex index = publish(other, "stable", artifactAt("releases/1.0.0/app.tar.gz"));
    assertThat(index.channel()).isEqualTo("stable");
    Files.createDirectories(repo.resolve("channels"));
    Files.createSymbolicLink(repo.resolve("channels/stable.json"),
        other.resolve("channels/stable.json"));

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("leads outside the repository");
  }

  @Test
  void shouldFollowASymlinkThatStaysInsideTheRepository() throws IOException {
    Artifact real = artifactAt("releases/1.0.0/app.tar.gz");
    writeArtifact(repo, real);
    Files.createDirectories(repo.resolve("releases/latest"));
    Files.createSymbolicLink(repo.resolve("releases/latest/app.tar.gz"),
        Path.of("../1.0.0/app.tar.gz"));

    try (InputStream in = source.open(artifactAt("releases/latest/app.tar.gz"), 10)) {
      assertThat(in.readAllBytes()).isEqualTo("abcdefghij".getBytes(UTF_8));
    }
  }

  @Test
  void shouldDecodePercentEncodedLocations() throws IOException {
    Path dir = Files.createDirectories(repo.resolve("releases/1.0.0"));
    Files.write(dir.resolve("my app é.tar.gz"), CONTENT);

    try (InputStream in = source.open(artifactAt("releases/1.0.0/my%20app%20%C3%A9.tar.gz"), 0)) {
      assertThat(in.readAllBytes()).isEqualTo(CONTENT);
    }
    try (InputStream in = source.open(artifactAt("releases/1.0.0/my%20app%20é.tar.gz"), 0)) {
      assertThat(in.readAllBytes()).isEqualTo(CONTENT);
    }
  }

  @Test
  void shouldDescribeItselfByItsRoot() {
    assertThat(source.describe()).isEqualTo("directory " + repo);
  }

  @Test
  void shouldWorkOnAnyFileSystemProviderSuchAsJimfs() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path root = Files.createDirectories(fs.getPath("/srv/updates/myapp"));
      Files.write(fs.getPath("/srv/updates/secret.tar.gz"), CONTENT);
      ReleaseIndex published = publish(root, "beta", artifactAt("releases/1.0.0/app.tar.gz"));
      DirectoryReleaseSource jimfs = DirectoryReleaseSource.of(fs.getPath("/srv/updates/myapp/"));

      assertThat(jimfs.index("beta")).isEqualTo(published);
      try (InputStream in = jimfs.open(published.releases().get(0).primaryArtifact(), 15)) {
        assertThat(in.readAllBytes()).isEqualTo("fghij".getBytes(UTF_8));
      }
      assertThatThrownBy(() -> jimfs.open(artifactAt("../secret.tar.gz"), 0))
          .isInstanceOf(VerificationException.class);
      assertThatThrownBy(() -> jimfs.index("stable")).isInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void shouldTreatABackslashAsNoSeparatorOnAWindowsFileSystem() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.windows())) {
      Path root = Files.createDirectories(fs.getPath("C:\\updates\\myapp"));
      Files.write(fs.getPath("C:\\updates\\secret.tar.gz"), CONTENT);
      ReleaseIndex published = publish(root, "stable", artifactAt("releases/1.0.0/app.tar.gz"));
      DirectoryReleaseSource windows = DirectoryReleaseSource.of(root);

      try (InputStream in = windows.open(published.releases().get(0).primaryArtifact(), 0)) {
        assertThat(in.readAllBytes()).isEqualTo(CONTENT);
      }
      assertThatThrownBy(() -> windows.open(artifactAt("..\\secret.tar.gz"), 0))
          .isInstanceOf(VerificationException.class);
      assertThatThrownBy(() -> windows.open(artifactAt("C:\\updates\\secret.tar.gz"), 0))
          .isInstanceOf(VerificationException.class);
      assertThatThrownBy(() -> windows.open(artifactAt("releases/1.0.0/a:b"), 0))
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining("is not a valid path on this file system");
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static Artifact artifactAt(String location) {
    return new Artifact("app.tar.gz", CONTENT.length, sha256(CONTENT), location);
  }

  /** Lays out a repository with one release, the index written by {@link MetadataJson#write}. */
  private static ReleaseIndex publish(Path root, String channel, Artifact artifact)
      throws IOException {
    writeArtifact(root, artifact);
    ReleaseIndex index = new ReleaseIndex("myapp", channel, 1, Optional.empty(),
        List.of(Release.of(Version.parse("1.0.0"), channel, artifact)));
    Path channels = Files.createDirectories(root.resolve("channels"));
    Files.write(channels.resolve(channel + ".json"), MetadataJson.write(index));
    return index;
  }

  private static void writeArtifact(Path root, Artifact artifact) throws IOException {
    Path file = root;
    for (String segment : artifact.location().split("/")) {
      file = file.resolve(segment);
    }
    Files.createDirectories(file.getParent());
    Files.write(file, CONTENT);
  }
}
