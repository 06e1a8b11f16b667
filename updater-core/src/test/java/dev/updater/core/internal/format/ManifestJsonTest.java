package dev.updater.core.internal.format;

import dev.updater.core.internal.ReleaseManifests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.spi.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-file manifest format: what is written, what is read back, and what is refused. */
class ManifestJsonTest {
  private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final ManifestJson.Limits LIMITS =
      ReleaseManifests.limits(ArchiveStager.defaults());

  private static Optional<FileManifest> read(String entries) throws VerificationException {
    return read(("{\"format\": 1, \"entries\": [" + entries + "]}")
        .getBytes(StandardCharsets.UTF_8), LIMITS);
  }

  /** A whole (format 1) manifest, or empty for a newer format. */
  private static Optional<FileManifest> read(byte[] json, ManifestJson.Limits limits)
      throws VerificationException {
    return ManifestJson.parse(json, limits).map(d -> ((ManifestJson.Whole) d).manifest());
  }

  private static String file(String path) {
    return "{\"path\": \"" + path + "\", \"type\": \"file\", \"mode\": \"0644\", \"size\": 4, "
        + "\"sha256\": \"" + SHA + "\"}";
  }

  private static String dir(String path) {
    return "{\"path\": \"" + path + "\", \"type\": \"directory\", \"mode\": \"0755\"}";
  }

  private static String link(String path, String target) {
    return "{\"path\": \"" + path + "\", \"type\": \"symlink\", \"target\": \"" + target + "\"}";
  }

  @Test
  void shouldReadBackWhatItWrites() throws VerificationException {
    FileManifest manifest = new FileManifest(List.of(
        new Entry("bin/app", Type.FILE, 0755, 4, SHA, ""),
        new Entry("bin", Type.DIRECTORY, 0755, 0, "", ""),
        new Entry("app", Type.SYMLINK, 0, 0, "", "bin/app")));

    byte[] json = ManifestJson.write(manifest);

    assertThat(read(json, LIMITS).orElseThrow().entries())
        .isEqualTo(manifest.entries())
        .extracting(Entry::path).containsExactly("app", "bin", "bin/app");
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"mode\":\"0755\"");
  }

  @Test
  void shouldAcceptOnlyChunksOfAHashAColonAndAPositiveSize() {
    String sha = "0123456789abcdef".repeat(4);
    assertThat(HashSyntax.isChunk(sha + ":1")).isTrue();
    assertThat(HashSyntax.isChunk(sha + ":" + "9".repeat(18))).isTrue();
    assertThat(HashSyntax.isSha256(sha)).isTrue();
    for (String bad : List.of(sha + ":0", sha + ":01", sha + ":", sha + ":" + "1".repeat(19),
        sha + "-1", sha.toUpperCase(java.util.Locale.ROOT) + ":1", sha.substring(1) + ":1",
        sha.replace('f', 'g') + ":1", sha + ":1x", sha + ": 1", "")) {
      assertThat(HashSyntax.isChunk(bad)).as(bad).isFalse();
    }
    assertThat(HashSyntax.isSha256(sha + "0")).isFalse();
    assertThat(HashSyntax.isSha256(sha.replace('a', 'A'))).isFalse();
  }

  @Test
  void shouldIgnoreUnknownFieldsAndSkipANewerFormat() throws VerificationException {
    assertThat(read(("{\"format\": 1, \"extra\": true, \"entries\": [{\"path\": "
        + "\"a\", \"type\": \"file\", \"mode\": \"0644\", \"size\": 4, \"sha256\": \"" + SHA
        + "\", \"xattrs\": {}}]}").getBytes(StandardCharsets.UTF_8), LIMITS)).isPresent();
    assertThat(read("{\"format\": 4, \"pages\": \"whatever\"}"
        .getBytes(StandardCharsets.UTF_8), LIMITS)).isEmpty();
  }

  @Test
  void shouldCarryTheManifestReferenceInTheIndexRelease() throws VerificationException {
    Artifact archive = new Artifact("app.tar.gz", 10, SHA, "releases/1.0.0/app.tar.gz");
    Artifact manifest = new Artifact("manifest.json", 99, SHA, "releases/1.0.0/manifest.json");
    ReleaseIndex index = new ReleaseIndex("app", "stable", 1, Optional.empty(), List.of(
        Release.of(Version.parse("1.0.0"), "stable", archive).withManifest(manifest)));

    byte[] json = MetadataJson.write(index);

    assertThat(MetadataJson.read(json).releases().get(0).manifest()).contains(manifest);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"manifest\": {");
    assertThatThrownBy(() -> MetadataJson.read(new String(json, StandardCharsets.UTF_8)
        .replace("\"size\": 99", "\"size\": -1").getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("releases[0].manifest.size");
  }

  @Test
  void shouldRefuseATraversingPath() {
    assertThatThrownBy(() -> read(file("a/../../etc/passwd")))
        .isInstanceOf(VerificationException.class).hasMessageContaining("'..' segment");
  }

  @Test
  void shouldRefuseAnAbsoluteOrDrivePathOrBackslash() {
    assertThatThrownBy(() -> read(file("/etc/passwd"))).hasMessageContaining("absolute path");
    assertThatThrownBy(() -> read(file("C:x"))).hasMessageContaining("drive letter");
    assertThatThrownBy(() -> read(file("a\\\\b"))).hasMessageContaining("backslash");
  }

  @Test
  void shouldRefuseAPathThatIsNotNormalised() {
    assertThatThrownBy(() -> read(file("./a"))).hasMessageContaining("not a normalised");
    assertThatThrownBy(() -> read(dir("a/"))).hasMessageContaining("not a normalised");
  }

  @Test
  void shouldRefuseALinkThatLeavesTheRelease() {
    assertThatThrownBy(() -> read(dir("bin") + "," + link("bin/x", "../../etc")))
        .hasMessageContaining("leaves the release");
    assertThatThrownBy(() -> read(link("x", "/etc/passwd"))).hasMessageContaining("absolute");
  }

  @Test
  void shouldRefuseAPathUnderALinkOrAFileOrAnUnlistedDirectory() {
    assertThatThrownBy(() -> read(link("lib", "bin") + "," + file("lib/x")))
        .hasMessageContaining("'lib', which is not a directory");
    assertThatThrownBy(() -> read(file("a") + "," + file("a/b")))
        .hasMessageContaining("which is not a directory");
    assertThatThrownBy(() -> read(file("missing/b")))
        .hasMessageContaining("which is not a directory");
  }

  @Test
  void shouldRefuseDuplicatesAndCaseCollisions() {
    assertThatThrownBy(() -> read(file("a") + "," + file("a"))).hasMessageContaining("twice");
    assertThatThrownBy(() -> read(file("README") + "," + file("readme")))
        .hasMessageContaining("differ only in case");
  }

  @Test
  void shouldRefuseModesTheStagerNeverWrites() {
    assertThatThrownBy(() -> read(file("a").replace("0644", "4755")))
        .hasMessageContaining("four octal digits");
    assertThatThrownBy(() -> read(file("a").replace("0644", "0666")))
        .hasMessageContaining("not one the stager writes");
    assertThatThrownBy(() -> read(dir("d").replace("0755", "0777")))
        .hasMessageContaining("not one the stager writes");
  }

  @Test
  void shouldRefuseStrictJsonViolations() {
    assertThatThrownBy(() -> read("{\"format\": 1, \"format\": 1, \"entries\": []}"
        .getBytes(StandardCharsets.UTF_8), LIMITS)).hasMessageContaining("strict JSON");
    assertThatThrownBy(() -> read(file("a").replace("\"size\": 4", "\"size\": \"4\"")))
        .hasMessageContaining("size must be a non-negative integer");
    assertThatThrownBy(() -> read(file("a").replace(SHA, SHA.toUpperCase())))
        .hasMessageContaining("lower-case hex");
  }

  @Test
  void shouldRefuseMoreEntriesOrBytesThanTheStagerAccepts() {
    ManifestJson.Limits small = new ManifestJson.Limits(1, 7, 64, 1024);
    byte[] two = ("{\"format\": 1, \"entries\": [" + file("a") + "," + file("b") + "]}")
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read(two, small)).hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> read(two, new ManifestJson.Limits(9, 7, 64, 1024)))
        .hasMessageContaining("maxTotalBytes");
  }
}
