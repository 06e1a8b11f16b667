package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.internal.format.Chunking;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.source.HttpReleaseSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delta installs inside files, over a real HTTP server on 127.0.0.1 that counts requests: a jar of
 * which one entry changed (and every timestamp) is rebuilt from the chunks the live release holds
 * plus the few it fetches, byte for byte the published jar; a missing or tampered chunk costs the
 * whole file, a live file changed since it was installed is not reused, and a missing whole file
 * costs the archive; never a wrong file.
 */
class ChunkedDeltaInstallTest extends ServedRepositoryTest {
  private static final Map<String, byte[]> CLASSES = classes(120, 3000);
  private static final byte[] JAR_1 = jar(CLASSES, 1_600_000_000_000L);
  private static final byte[] JAR_2 = jar(changedOne(), 1_700_000_000_000L);

  private Updater updater;

  @BeforeEach
  void start() throws IOException {
    repo.publish("1.0.0", tar -> tar.file("VERSION", "1.0.0\n").dir("lib")
        .file("lib/app.jar", JAR_1, 0644));
    updater = Updater.builder().home(home)
        .source(HttpReleaseSource.builder(server.baseUrl()).trustedKeys(repo.trust()).build())
        .freeSpace(0, 3).checkCacheTtl(Duration.ZERO).build();
    updater.install(updater.check().orElseThrow());
    repo.publish("1.1.0", tar -> tar.file("VERSION", "1.1.0\n").dir("lib")
        .file("lib/app.jar", JAR_2, 0644));
    server.resetCounts();
  }

  private static Map<String, byte[]> classes(int count, int size) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Random random = new Random(11);
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      while (sb.length() < size) {
        sb.append("field").append(random.nextInt(5000)).append(';');
      }
      entries.put("org/app/C" + i + ".class", sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    return entries;
  }

  private static Map<String, byte[]> changedOne() {
    Map<String, byte[]> entries = new LinkedHashMap<>(CLASSES);
    entries.put("org/app/C60.class", "a fix".repeat(500).getBytes(StandardCharsets.UTF_8));
    return entries;
  }

  private static byte[] jar(Map<String, byte[]> entries, long time) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTime(time);
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** The chunks of the new jar that the live one lacks, as the manifests list them. */
  private List<Chunking.Chunk> newChunks() throws IOException {
    Set<String> live = new HashSet<>();
    jarEntry("1.0.0").chunks().forEach(c -> live.add(c.sha256()));
    return jarEntry("1.1.0").chunks().stream().filter(c -> !live.contains(c.sha256())).toList();
  }

  private FileManifest.Entry jarEntry(String version) throws IOException {
    return repo.readManifest(version).get("lib/app.jar").orElseThrow();
  }

  private Path object(String sha256) {
    return repo.root.resolve(ObjectPaths.compressed(sha256));
  }

  private int requests(String sha256) {
    return server.requests("/" + ObjectPaths.compressed(sha256));
  }

  /** The stored bytes of every file the server was asked for beyond the index. */
  private long bytesServed() throws IOException {
    long total = 0;
    for (Map.Entry<String, Integer> r : server.requests().entrySet()) {
      Path file = repo.root.resolve(r.getKey().substring(1));
      if (!r.getKey().startsWith("/channels/") && Files.isRegularFile(file)) {
        total += Files.size(file) * r.getValue();
      }
    }
    return total;
  }

  private void assertInstalledTheNewJar() throws IOException {
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(Files.readAllBytes(home.resolve("current/lib/app.jar"))).isEqualTo(JAR_2);
  }

  @Test
  void shouldRebuildAChangedJarFromItsChunksByteForByte() throws IOException {
    List<Chunking.Chunk> needed = newChunks();

    updater.install(updater.check().orElseThrow());

    assertInstalledTheNewJar();
    assertThat(requests(jarEntry("1.1.0").sha256())).as("the whole jar").isZero();
    assertThat(server.requests(DeltaRepository.archiveUrl(repo.readRelease("1.1.0")))).isZero();
    assertThat(needed).isNotEmpty().allSatisfy(c -> assertThat(requests(c.sha256())).isZero());
    assertThat(server.requests().keySet()).as("the new chunks come from the release's pack")
        .anyMatch(path -> path.startsWith("/packs/"));
    assertThat(server.bodyBytes()).as("bytes served against the jar's " + JAR_2.length)
        .isLessThan(JAR_2.length / 4);
  }

  @Test
  void shouldFetchEachNewChunkOnItsOwnFromARepositoryWithoutPacks() throws IOException {
    List<Chunking.Chunk> needed = newChunks();
    repo.deletePacks();

    updater.install(updater.check().orElseThrow());

    assertInstalledTheNewJar();
    assertThat(needed).isNotEmpty().allSatisfy(c -> assertThat(requests(c.sha256())).isOne());
    assertThat(bytesServed()).as("bytes served against the jar's " + JAR_2.length)
        .isLessThan(JAR_2.length / 4);
  }

  @Test
  void shouldFetchTheWholeFileWhenAChunkIsMissing() throws IOException {
    repo.deletePacks();
    Files.delete(object(newChunks().get(0).sha256()));

    updater.install(updater.check().orElseThrow());

    assertInstalledTheNewJar();
    assertThat(requests(jarEntry("1.1.0").sha256())).as("the whole jar").isOne();
    assertThat(server.requests(DeltaRepository.archiveUrl(repo.readRelease("1.1.0")))).isZero();
  }

  @Test
  void shouldFetchTheWholeFileWhenAChunkIsTampered() throws IOException {
    repo.deletePacks();
    Chunking.Chunk chunk = newChunks().get(newChunks().size() / 2);
    byte[] other = new byte[(int) chunk.size()];
    new Random(5).nextBytes(other);
    Files.write(object(chunk.sha256()), DeltaRepository.compress(other));

    updater.install(updater.check().orElseThrow());

    assertInstalledTheNewJar();
    assertThat(requests(chunk.sha256())).isOne();
    assertThat(requests(jarEntry("1.1.0").sha256())).as("the whole jar").isOne();
  }

  @Test
  void shouldNotReuseTheChunksOfALiveFileChangedSinceItWasInstalled() throws IOException {
    Path live = home.resolve("releases/1.0.0/lib/app.jar");
    byte[] changed = Files.readAllBytes(live);
    changed[changed.length / 3] ^= 1; // same size: its stamp (modification time) tells
    Files.write(live, changed);

    updater.install(updater.check().orElseThrow());

    assertInstalledTheNewJar();
    // none of its chunks counts as held: fetching the jar whole is no smaller than the archive
    assertThat(server.requests(DeltaRepository.archiveUrl(repo.readRelease("1.1.0")))).isOne();
    assertThat(newChunks()).allSatisfy(c -> assertThat(requests(c.sha256())).isZero());
  }

  @Test
  void shouldInstallFromTheArchiveWhenAChunkAndTheWholeFileAreMissing() throws IOException {
    repo.deletePacks();
    Files.delete(object(newChunks().get(0).sha256()));
    Files.delete(object(jarEntry("1.1.0").sha256()));

    updater.install(updater.check().orElseThrow());

    assertInstalledTheNewJar();
    assertThat(server.requests(DeltaRepository.archiveUrl(repo.readRelease("1.1.0")))).isOne();
  }
}
