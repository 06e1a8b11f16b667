package dev.updater.core.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.repository.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content-defined chunks: the same bytes give the same chunks on every run and machine (pinned
 * here by a digest of the chunk list), an unchanged region away from an edit keeps its chunks,
 * and in a jar an entry whose data did not change is the same chunk even when every header
 * changed its timestamp.
 */
class ChunkingTest {
  @TempDir
  Path tmp;

  /** {@code n} bytes from a seeded {@link Random}, whose algorithm the Java specification fixes. */
  static byte[] random(long seed, int n) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A jar of {@code entries}, every entry stamped {@code time}, deflated or stored. */
  static byte[] jar(Map<String, byte[]> entries, long time, boolean stored) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTime(time);
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** Classes of a library: text-like so they deflate, each different. */
  static Map<String, byte[]> classes(String prefix, int count, int size) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Random random = new Random(prefix.hashCode());
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      while (sb.length() < size) {
        sb.append("field").append(random.nextInt(5000)).append(';');
      }
      entries.put(prefix + "/C" + i + ".class", sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    return entries;
  }

  private static List<Chunking.Chunk> split(byte[] bytes) {
    return Chunking.split(ByteBuffer.wrap(bytes));
  }

  private static String digest(List<Chunking.Chunk> chunks) {
    StringBuilder sb = new StringBuilder();
    chunks.forEach(c -> sb.append(c.sha256()).append(':').append(c.size()).append('\n'));
    return HexFormat.of().formatHex(Sha256.newDigest().digest(
        sb.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static long newBytes(List<Chunking.Chunk> before, List<Chunking.Chunk> after) {
    Set<String> known = new HashSet<>();
    before.forEach(c -> known.add(c.sha256()));
    return after.stream().filter(c -> !known.contains(c.sha256())).mapToLong(c -> c.size())
        .sum();
  }

  @Test
  void shouldCutTheSameBytesIntoTheSameChunksOnEveryRunAndMachine() throws IOException {
    byte[] bytes = random(42, 1 << 20);
    List<Chunking.Chunk> chunks = split(bytes);

    assertThat(chunks).hasSizeGreaterThan(10);
    assertThat(chunks.stream().mapToLong(Chunking.Chunk::size).sum()).isEqualTo(bytes.length);
    assertThat(chunks).allSatisfy(c -> assertThat(c.size()).isBetween(1L,
        (long) Chunking.MAX_CHUNK));
    assertThat(split(bytes.clone())).isEqualTo(chunks);
    Path file = Files.write(tmp.resolve("data.bin"), bytes);
    assertThat(Chunking.split(file)).isEqualTo(chunks);
    // pinned: a change to the gear table or the cut rules changes this, and every repository
    assertThat(digest(chunks)).isEqualTo(PINNED_RANDOM);
  }

  /** The digest of the chunk list of {@code random(42, 1 MiB)}, as every machine computes it. */
  static final String PINNED_RANDOM =
      "ab70d7c99d1489e9d433dbdf8938d25d8e55d32a1f65734c93e28df33a29ae7f";

  @Test
  void shouldKeepTheChunksAwayFromAnEdit() {
    byte[] before = random(7, 1 << 20);
    byte[] after = before.clone();
    for (int i = 500_000; i < 500_100; i++) {
      after[i] ^= 0x5a;
    }

    long changed = newBytes(split(before), split(after));

    assertThat(changed).isPositive().isLessThanOrEqualTo(2L * Chunking.MAX_CHUNK);
  }

  @Test
  void shouldNotSplitASmallFile() throws IOException {
    assertThat(split(random(1, Chunking.MIN_FILE - 1))).isEmpty();
    assertThat(Chunking.split(Files.write(tmp.resolve("small"), new byte[100]))).isEmpty();
  }

  @Test
  void shouldKeepAnUnchangedJarEntryTheSameChunkWhenEveryTimestampChanged() throws IOException {
    Map<String, byte[]> v1 = classes("org/lib", 300, 3000);
    Map<String, byte[]> v2 = new LinkedHashMap<>(v1);
    v2.put("org/lib/C150.class", "changed in the new version".repeat(100)
        .getBytes(StandardCharsets.UTF_8));
    byte[] before = jar(v1, 1_600_000_000_000L, false);
    byte[] after = jar(v2, 1_700_000_000_000L, false);

    List<Chunking.Chunk> chunks = split(after);
    long changed = newBytes(split(before), chunks);

    // headers (30 bytes + name), the changed entry's data and the central directory
    long headers = 300L * (30 + 20);
    long centralDirectory = 300L * (46 + 20) + 22;
    assertThat(changed).isLessThan(headers + centralDirectory + 3000);
    assertThat(changed).isLessThan(after.length / 5);
    assertThat(chunks).hasSizeGreaterThan(600); // a header and its data per entry
    assertThat(digest(chunks)).isEqualTo(digest(split(after.clone())));
  }

  @Test
  void shouldCutANestedStoredJarAlongItsEntries() throws IOException {
    Map<String, byte[]> lib = classes("com/dep", 100, 2000);
    Map<String, byte[]> libNext = new LinkedHashMap<>(lib);
    libNext.put("com/dep/C3.class", "bumped".repeat(300).getBytes(StandardCharsets.UTF_8));
    Map<String, byte[]> app = new LinkedHashMap<>();
    app.put("BOOT-INF/lib/other.jar", jar(classes("org/other", 200, 2000), 1L << 40, false));
    app.put("BOOT-INF/lib/dep.jar", jar(lib, 1L << 40, false));
    Map<String, byte[]> appNext = new LinkedHashMap<>(app);
    appNext.put("BOOT-INF/lib/dep.jar", jar(libNext, 1L << 40, false));
    byte[] before = jar(app, 1L << 41, true);
    byte[] after = jar(appNext, 1L << 41, true);

    long changed = newBytes(split(before), split(after));

    assertThat(changed).isLessThan(appNext.get("BOOT-INF/lib/dep.jar").length / 4);
  }

  @Test
  void shouldCutAZipWithoutACentralDirectoryByContentAlone() {
    byte[] bytes = random(3, 300_000);
    bytes[0] = 'P';
    bytes[1] = 'K';
    bytes[2] = 3;
    bytes[3] = 4;
    List<Chunking.Chunk> chunks = split(bytes);
    assertThat(chunks.stream().mapToLong(Chunking.Chunk::size).sum()).isEqualTo(bytes.length);
    assertThat(new ArrayList<>(chunks)).allSatisfy(c -> assertThat(c.size())
        .isLessThanOrEqualTo(Chunking.MAX_CHUNK));
  }
}
