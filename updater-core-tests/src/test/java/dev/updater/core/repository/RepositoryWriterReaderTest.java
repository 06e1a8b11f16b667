package dev.updater.core.repository;

import static dev.updater.testkit.Digests.sha256;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Requirements;
import dev.updater.testkit.RawArchives;
import dev.updater.core.Version;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.internal.format.ZlibObjects;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository written by {@link RepositoryWriter} reads back, and tampering is caught. */
class RepositoryWriterReaderTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant EXPIRES = Instant.parse("2026-12-31T00:00:00Z");

  @TempDir Path dir;
  private Path repo;
  private final SigningKey key = SigningKey.generate();
  private RepositoryWriter writer;
  private RepositoryReader reader;

  @BeforeEach
  void setUp() {
    repo = dir.resolve("repo");
    writer = RepositoryWriter.signed(repo, key);
    reader = RepositoryReader.signed(repo, TrustedKeys.parse(key.publicKeyText()));
  }

  private Path archive(String version, String... files) throws IOException {
    RawArchives.Tar tar = RawArchives.tar().file("VERSION", version);
    for (String file : files) {
      tar.file(file, "content of " + file + " in " + version);
    }
    return tar.writeTarGz(Files.createDirectories(dir.resolve("build")).resolve(
        "app-" + version + ".tar.gz"));
  }

  /** Publishes {@code archive} as {@code version} on stable, with its tree. */
  private ReleaseIndex publish(String version, Path archive) throws IOException {
    Version v = Version.parse(version);
    Artifact artifact = writer.putArtifact(v, archive, RepositoryWriter.IfDifferent.REFUSE);
    RepositoryWriter.PublishedTree tree = writer.putTree(v, archive, ArchiveStager.defaults());
    Release release = new Release(v, "stable", List.of(artifact), Requirements.NONE, "notes",
        Optional.of(NOW), 40).withManifest(tree.manifest());
    return writer.publish("app", release, EXPIRES);
  }

  @Test
  void aPublishedReleaseReadsBackThroughTheSignatureAndVerifies() throws IOException {
    publish("1.0.0", archive("1.0.0", "lib/a.jar", "lib/b.jar"));

    ReleaseIndex index = reader.index("stable");
    assertThat(index.application()).isEqualTo("app");
    assertThat(index.serial()).isEqualTo(1);
    assertThat(index.expires()).contains(EXPIRES);
    Release release = index.find(Version.parse("1.0.0")).orElseThrow();
    assertThat(release.rollout()).isEqualTo(40);
    assertThat(release.primaryArtifact().location()).isEqualTo("releases/1.0.0/app-1.0.0.tar.gz");
    assertThat(release.manifest()).isPresent();

    RepositoryReader.Verified verified = reader.verify(release);
    assertThat(verified.artifacts()).isEqualTo(1);
    assertThat(verified.pages()).isPositive();
    assertThat(verified.objects()).isEqualTo(3); // VERSION, a.jar, b.jar
  }

  @Test
  void theNextPublicationRaisesTheSerialAndSharesUnchangedObjects() throws IOException {
    publish("1.0.0", archive("1.0.0", "lib/a.jar"));
    Version v2 = Version.parse("2.0.0");
    Path second = RawArchives.tar().file("VERSION", "2.0.0")
        .file("lib/a.jar", "content of lib/a.jar in 1.0.0")
        .writeTarGz(dir.resolve("app-2.0.0.tar.gz"));

    RepositoryWriter.PublishedTree tree = writer.putTree(v2, second, ArchiveStager.defaults());
    Release release = Release.of(v2, "stable",
        writer.putArtifact(v2, second, RepositoryWriter.IfDifferent.REFUSE))
        .withManifest(tree.manifest());
    ReleaseIndex index = writer.publish("app", release, EXPIRES);

    assertThat(tree.files()).isEqualTo(2);
    assertThat(tree.newObjects()).as("lib/a.jar is the object of 1.0.0").isEqualTo(1);
    assertThat(index.serial()).isEqualTo(2);
    assertThat(reader.index("stable").releases()).extracting(r -> r.version().toString())
        .containsExactly("1.0.0", "2.0.0");
  }

  @Test
  void everyFileIsReadableByEveryoneAndNoTemporaryFileIsLeft() throws IOException {
    publish("1.0.0", archive("1.0.0", "lib/a.jar"));

    try (Stream<Path> files = Files.walk(repo)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(file.getFileName().toString()).doesNotContain(".tmp");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
              .as(file.toString()).isEqualTo("rw-r--r--");
        }
      }
    }
  }

  @Test
  void otherBytesUnderAPublishedNameAreRefusedUnlessReplaced() throws IOException {
    Path first = archive("1.0.0");
    writer.putArtifact(Version.parse("1.0.0"), first, RepositoryWriter.IfDifferent.REFUSE);
    Path changed = RawArchives.tar().file("VERSION", "other")
        .writeTarGz(Files.createDirectories(dir.resolve("other")).resolve("app-1.0.0.tar.gz"));

    assertThatThrownBy(() -> writer.putArtifact(Version.parse("1.0.0"), changed,
        RepositoryWriter.IfDifferent.REFUSE)).isInstanceOf(FileAlreadyExistsException.class);
    Artifact replaced = writer.putArtifact(Version.parse("1.0.0"), changed,
        RepositoryWriter.IfDifferent.REPLACE);

    assertThat(Files.readAllBytes(repo.resolve("releases/1.0.0/app-1.0.0.tar.gz")))
        .isEqualTo(Files.readAllBytes(changed));
    assertThat(replaced).isEqualTo(writer.describe(Version.parse("1.0.0"), changed));
  }

  @Test
  void anArchiveTheStagerWouldRefuseIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path evil = RawArchives.tar().file("../escape", "x").writeTarGz(dir.resolve("evil.tar.gz"));

    assertThatThrownBy(() -> writer.putTree(Version.parse("1.0.0"), evil,
        ArchiveStager.defaults())).isInstanceOf(RejectedArchiveException.class);
    assertThat(repo.resolve("releases/1.0.0/manifest.json")).doesNotExist();
  }

  @Test
  void aTamperedIndexIsRefused() throws IOException {
    publish("1.0.0", archive("1.0.0"));
    Path index = repo.resolve("channels/stable.json");
    Files.writeString(index, Files.readString(index).replace("\"notes\"", "\"notes\" "));

    assertThatThrownBy(() -> reader.index("stable")).isInstanceOf(VerificationException.class);
  }

  @Test
  void anIndexSignedByAnotherKeyIsRefused() throws IOException {
    publish("1.0.0", archive("1.0.0"));
    RepositoryWriter.signed(repo, SigningKey.generate())
        .writeIndex(writer.index("stable").orElseThrow());

    assertThatThrownBy(() -> reader.index("stable")).isInstanceOf(VerificationException.class)
        .hasMessageContaining("key");
  }

  @Test
  void anUnsignedIndexIsRefusedBySignedReadersAndReadByUnsignedOnes() throws IOException {
    Path plain = dir.resolve("plain");
    RepositoryWriter unsigned = RepositoryWriter.unsigned(plain);
    unsigned.writeIndex(new ReleaseIndex("app", "beta", 3, Optional.empty(), List.of()));

    assertThat(Files.exists(plain.resolve("channels/beta.json.minisig"))).isFalse();
    assertThatThrownBy(() -> RepositoryReader.signed(plain, TrustedKeys.parse(key.publicKeyText()))
        .index("beta")).isInstanceOf(VerificationException.class);
    assertThat(RepositoryReader.unsigned(plain).index("beta").serial()).isEqualTo(3);
  }

  @Test
  void aTamperedObjectIsNamedByVerify() throws IOException {
    publish("1.0.0", archive("1.0.0", "lib/a.jar"));
    Release release = reader.index("stable").releases().get(0);
    Path object = repo.resolve(ObjectPaths.compressed(sha256("content of lib/a.jar in 1.0.0")));
    Files.write(object, compress("content of lib/a.jar in 1.0.1".getBytes(UTF_8)));

    assertThatThrownBy(() -> reader.verify(release)).isInstanceOf(VerificationException.class)
        .hasMessageContaining("lib/a.jar");
  }

  @Test
  void aDamagedCompressedObjectIsNamedByVerify() throws IOException {
    publish("1.0.0", archive("1.0.0", "lib/a.jar"));
    Release release = reader.index("stable").releases().get(0);
    Path object = repo.resolve(ObjectPaths.compressed(sha256("content of lib/a.jar in 1.0.0")));
    Files.writeString(object, "not zlib at all");

    assertThatThrownBy(() -> reader.verify(release)).isInstanceOf(VerificationException.class)
        .hasMessageContaining("lib/a.jar").hasMessageContaining("not a valid compressed object");
  }

  /** {@code bytes} compressed as a repository stores its objects. */
  private static byte[] compress(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = ZlibObjects.compressingInto(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }

  @Test
  void aMissingObjectIsAVerificationFailure() throws IOException {
    publish("1.0.0", archive("1.0.0", "lib/a.jar"));
    Release release = reader.index("stable").releases().get(0);
    Files.delete(repo.resolve(ObjectPaths.compressed(sha256("content of lib/a.jar in 1.0.0"))));

    assertThatThrownBy(() -> reader.verify(release)).isInstanceOf(VerificationException.class)
        .hasMessageContaining("missing");
  }

  @Test
  void aTamperedArtifactIsNamedByVerify() throws IOException {
    publish("1.0.0", archive("1.0.0"));
    Release release = reader.index("stable").releases().get(0);
    Files.write(repo.resolve("releases/1.0.0/app-1.0.0.tar.gz"), new byte[] {1, 2, 3},
        java.nio.file.StandardOpenOption.APPEND);

    assertThatThrownBy(() -> reader.verify(release)).isInstanceOf(VerificationException.class)
        .hasMessageContaining("app-1.0.0.tar.gz");
  }

  @Test
  void aTamperedManifestPageIsRefused() throws IOException {
    publish("1.0.0", archive("1.0.0", "lib/a.jar"));
    Release release = reader.index("stable").releases().get(0);
    String root = Files.readString(repo.resolve("releases/1.0.0/manifest.json"));
    String page = root.replaceAll("(?s).*\"sha256\" *: *\"([0-9a-f]{64})\".*", "$1");
    Path pageFile = repo.resolve(ObjectPaths.compressed(page));
    byte[] bytes;
    try (InputStream in = ZlibObjects.inflating(Files.newInputStream(pageFile))) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 1;
    Files.write(pageFile, compress(bytes));

    assertThatThrownBy(() -> reader.verify(release)).isInstanceOf(VerificationException.class)
        .hasMessageContaining(page);
  }

  @Test
  void anIndexOfAnotherApplicationIsNotExtended() throws IOException {
    publish("1.0.0", archive("1.0.0"));
    Release release = reader.index("stable").releases().get(0);

    assertThatThrownBy(() -> writer.publish("other", release, EXPIRES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'app'");
  }

  @Test
  void aChannelNameMustBeASafeFileName() {
    assertThat(RepositoryWriter.isChannelName("beta-2")).isTrue();
    assertThat(RepositoryWriter.isChannelName("../stable")).isFalse();
    assertThatThrownBy(() -> writer.index("../stable"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
