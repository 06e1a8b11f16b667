package dev.updater.core.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chunk size policy for large files: the rolling hash's sizes scale with the file's size
 * (deterministically, from the size alone), and no file is ever listed in more than {@link
 * Chunking#MAX_CHUNKS} chunks, however many entries a jar has; files up to the base size are cut
 * as before.
 */
class ChunkSizePolicyTest {

  @Test
  void shouldScaleTheChunkSizesWithEachDoublingBeyondTheBaseSize() {
    assertThat(Chunking.level(1)).isZero();
    assertThat(Chunking.level(Chunking.BASE_SCALE_BYTES)).isZero();
    assertThat(Chunking.level(Chunking.BASE_SCALE_BYTES + 1)).isOne();
    assertThat(Chunking.level(2 * Chunking.BASE_SCALE_BYTES)).isOne();
    assertThat(Chunking.level(1L << 30)).isEqualTo(4); // 1 GiB: 256 KiB on average
    assertThat(Chunking.level(Integer.MAX_VALUE)).isEqualTo(5);
  }

  @Test
  void shouldCutALargeFileWithLargerChunksTheSameWayEveryTime() {
    byte[] bytes = ChunkingTest.random(3, (int) Chunking.BASE_SCALE_BYTES + 1);

    List<Chunking.Chunk> chunks = Chunking.split(ByteBuffer.wrap(bytes));

    assertThat(chunks.stream().mapToLong(Chunking.Chunk::size).sum()).isEqualTo(bytes.length);
    assertThat(chunks).allSatisfy(c -> assertThat(c.size())
        .isLessThanOrEqualTo(2L * Chunking.MAX_CHUNK));
    assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.size())
        .isGreaterThanOrEqualTo(2L * Chunking.MIN_CHUNK));
    assertThat(chunks.size()).as("about one per 40 KiB (8 KiB minimum + 32 KiB average)")
        .isBetween(1200, 2400);
    assertThat(Chunking.split(ByteBuffer.wrap(bytes.clone()))).isEqualTo(chunks);
  }

  @Test
  void shouldNeverListMoreChunksThanTheBoundForAJarOfManyEntries() throws IOException {
    byte[] jar = ChunkingTest.jar(ChunkingTest.classes("org/many", 20000, 40), 0L, false);

    List<Chunking.Chunk> chunks = Chunking.split(ByteBuffer.wrap(jar));

    assertThat(chunks).hasSizeLessThanOrEqualTo(Chunking.MAX_CHUNKS).hasSizeGreaterThan(1000);
    assertThat(chunks.stream().mapToLong(Chunking.Chunk::size).sum()).isEqualTo(jar.length);
    assertThat(Chunking.split(ByteBuffer.wrap(jar.clone()))).isEqualTo(chunks);
  }

  @Test
  void shouldThinCutsToTheBoundKeepingEveryChunkButTheLastAtLeastTheLeastLength() {
    int length = 1_000_000;
    List<Integer> cuts = new ArrayList<>();
    for (int c = 0; c < length; c += 7) {
      cuts.add(c);
    }
    cuts.add(length);

    List<Integer> thinned = Chunking.thin(cuts, length);

    assertThat(thinned.size() - 1).isLessThanOrEqualTo(Chunking.MAX_CHUNKS);
    assertThat(thinned.get(0)).isZero();
    assertThat(thinned.get(thinned.size() - 1)).isEqualTo(length);
    long least = (length + Chunking.MAX_CHUNKS - 2) / (Chunking.MAX_CHUNKS - 1);
    for (int i = 1; i + 1 < thinned.size(); i++) {
      assertThat(thinned.get(i) - thinned.get(i - 1)).isGreaterThanOrEqualTo((int) least);
    }
    assertThat(Chunking.thin(List.of(0, 10, length), length)).containsExactly(0, 10, length);
  }
}
