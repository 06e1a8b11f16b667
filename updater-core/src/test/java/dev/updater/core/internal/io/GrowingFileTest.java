package dev.updater.core.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowingFileTest {
  @TempDir
  Path dir;

  @Test
  void shouldReadEveryByteAsTheWriterWritesThemAndEndAtTheCompleteLength() throws Exception {
    Path file = dir.resolve("download.part");
    byte[] bytes = new byte[1 << 20];
    new Random(7).nextBytes(bytes);
    GrowingFile reader = new GrowingFile(file);
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try (reader) {
        return reader.readAllBytes();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });

    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      for (int off = 0; off < bytes.length; off += 100_000) {
        out.write(ByteBuffer.wrap(bytes, off, Math.min(100_000, bytes.length - off)));
        reader.grew(out.position());
        assertThat(read).isNotDone();
      }
    }
    // the writer renames the file once complete: the reader keeps its descriptor
    Files.move(file, dir.resolve("download"), StandardCopyOption.ATOMIC_MOVE);
    reader.complete(bytes.length);

    assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(bytes);
  }

  @Test
  void shouldFailAWaitingReadWhenTheWriterAbandonsTheFile() throws Exception {
    Path file = Files.write(dir.resolve("download.part"), new byte[10]);
    GrowingFile reader = new GrowingFile(file);
    reader.grew(10);
    assertThat(reader.readNBytes(10)).hasSize(10);
    CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return reader.read();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(50);
    assertThat(waiting).isNotDone();

    reader.abandon(new IOException("the download was cut"));

    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
        .hasRootCauseMessage("the download was cut");
    assertThatThrownBy(reader::read).hasMessage("the download was cut");
  }

  @Test
  void shouldRefuseAFileShorterThanTheWriterReported() throws IOException {
    Path file = Files.write(dir.resolve("download.part"), new byte[10]);
    try (GrowingFile reader = new GrowingFile(file)) {
      reader.complete(20);

      assertThatThrownBy(reader::readAllBytes).hasMessageContaining("shorter than the 20 bytes");
    }
  }
}
