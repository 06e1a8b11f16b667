package dev.updater.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.Requirements;
import dev.updater.core.Version;
import dev.updater.core.internal.format.ManifestJson;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.internal.format.Packs;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.testkit.RawArchives;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher's packs: the first release has none; each next release packs exactly the objects
 * its predecessor's manifest does not name, byte for byte the stored objects in pack order, and
 * its root lists its pack then the earlier ones; publishing again gives the same root; {@link
 * RepositoryReader} checks packs and catches a tampered or truncated one.
 */
class PackPublisherTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final ManifestJson.Limits LIMITS = new ManifestJson.Limits(100_000,
      Long.MAX_VALUE, 64, 4096);

  @TempDir Path dir;
  private Path repo;
  private RepositoryWriter writer;

  @BeforeEach
  void setUp() {
    repo = dir.resolve("repo");
    writer = RepositoryWriter.unsigned(repo);
  }

  private static String noise(int i, String version) {
    byte[] bytes = new byte[300];
    new Random(i * 7L + version.hashCode()).nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }

  /** A release whose files {@code 0..changed-1} say {@code version}, the others not. */
  private Release publish(String version, int changed) throws IOException {
    RawArchives.Tar tar = RawArchives.tar().file("VERSION", version);
    for (int i = 0; i < 30; i++) {
      tar.file("lib/f" + i + ".txt", noise(i, i < changed ? version : "same"));
    }
    Path archive = tar.writeTarGz(Files.createDirectories(dir.resolve("build"))
        .resolve("app-" + version + ".tar.gz"));
    Version v = Version.parse(version);
    Artifact artifact = writer.putArtifact(v, archive, RepositoryWriter.IfDifferent.REFUSE);
    RepositoryWriter.PublishedTree tree = writer.putTree(v, archive, ArchiveStager.defaults());
    Release release = new Release(v, "stable", List.of(artifact), Requirements.NONE, "",
        Optional.of(NOW), 40).withManifest(tree.manifest());
    writer.publish("app", release, NOW.plusSeconds(86_400));
    return release;
  }

  private ManifestJson.Paged root(String version) throws IOException {
    return (ManifestJson.Paged) ManifestJson.parse(Files.readAllBytes(
        repo.resolve("releases/" + version + "/manifest.json")), LIMITS).orElseThrow();
  }

  @Test
  void shouldPackExactlyTheObjectsTheReleaseIntroducesAsTheyAreStored() throws IOException {
    publish("1.0.0", 0);
    assertThat(root("1.0.0").packs()).as("nothing to pack against").isEmpty();

    Release second = publish("1.1.0", 5);

    List<Packs.PackRef> packs = root("1.1.0").packs();
    assertThat(packs).hasSize(1);
    Packs.PackRef pack = packs.get(0);
    assertThat(pack.version()).isEqualTo(Version.parse("1.1.0"));
    byte[] packed = Files.readAllBytes(repo.resolve(pack.location()));
    assertThat(packed).hasSize((int) pack.bytes());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int i = 0; i < 5; i++) {
      expected.write(Files.readAllBytes(repo.resolve(ObjectPaths.compressed(
          dev.updater.testkit.Digests.sha256(noise(i, "1.1.0").getBytes())))));
    }
    String text = new String(packed, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(text).contains(expected.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThat(pack.objects()).as("5 files, VERSION and the changed page(s)").isBetween(7, 9);
    assertThat(RepositoryReader.unsigned(repo).verify(second).objects()).isEqualTo(31);
  }

  @Test
  void shouldListItsOwnPackFirstThenThoseOfTheReleasesBefore() throws IOException {
    publish("1.0.0", 0);
    publish("1.1.0", 5);
    byte[] before = Files.readAllBytes(repo.resolve("releases/1.1.0/manifest.json"));
    publish("1.2.0", 10);

    assertThat(root("1.2.0").packs()).extracting(Packs.PackRef::version)
        .containsExactly(Version.parse("1.2.0"), Version.parse("1.1.0"));
    publishAgain("1.1.0", 5);
    assertThat(Files.readAllBytes(repo.resolve("releases/1.1.0/manifest.json")))
        .as("the same release publishes the same root").isEqualTo(before);
  }

  private void publishAgain(String version, int changed) throws IOException {
    Files.delete(dir.resolve("build/app-" + version + ".tar.gz"));
    Files.delete(repo.resolve("releases/" + version + "/app-" + version + ".tar.gz"));
    publish(version, changed);
  }

  @Test
  void shouldRefuseATamperedPackOnVerify() throws IOException {
    publish("1.0.0", 0);
    Release second = publish("1.1.0", 5);
    Path pack = repo.resolve(root("1.1.0").packs().get(0).location());
    byte[] bytes = Files.readAllBytes(pack);
    bytes[bytes.length / 2] ^= 0x11;
    Files.write(pack, bytes);

    assertThatThrownBy(() -> RepositoryReader.unsigned(repo).verify(second))
        .isInstanceOf(VerificationException.class).hasMessageContaining(pack.getFileName()
            .toString());
  }

  @Test
  void shouldRefuseATruncatedPackOnVerify() throws IOException {
    publish("1.0.0", 0);
    Release second = publish("1.1.0", 5);
    Path pack = repo.resolve(root("1.1.0").packs().get(0).location());
    byte[] bytes = Files.readAllBytes(pack);
    Files.write(pack, java.util.Arrays.copyOf(bytes, bytes.length - 3));

    assertThatThrownBy(() -> RepositoryReader.unsigned(repo).verify(second))
        .isInstanceOf(VerificationException.class).hasMessageContaining("its index adds up to");
  }
}
