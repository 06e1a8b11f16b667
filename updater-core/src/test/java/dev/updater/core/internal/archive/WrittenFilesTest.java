package dev.updater.core.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrittenFilesTest {
  @TempDir Path dir;

  @Test
  void shouldHashEveryFileFromTheBytesOnDisk() throws Exception {
    Map<String, String> expected = new HashMap<>();
    try (WrittenFiles written = new WrittenFiles(WrittenFiles.Digests.COMPUTE, dir)) {
      // more files than slots, so that adding has to wait for finished ones
      for (int i = 0; i < 3 * WrittenFiles.IN_FLIGHT; i++) {
        String name = "lib/f" + i;
        byte[] content = ("content of file " + i).repeat(i + 1).getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("f" + i);
        Files.write(file, content);
        expected.put(name, sha256(content));
        written.add(name, file);
      }

      assertThat(written.await()).isEqualTo(expected);
    }
  }

  @Test
  void shouldOnlyForceWhenNoManifestWillCheckTheTree() throws Exception {
    try (WrittenFiles written = new WrittenFiles(WrittenFiles.Digests.SKIP, dir)) {
      written.add("a", Files.writeString(dir.resolve("a"), "a"));

      assertThat(written.await()).isEmpty();
    }
    assertThat(dir.resolve("a")).hasContent("a");
  }

  @Test
  void shouldGiveNoDigestForAFileAddedTwiceSoThatItIsReadAgainLater() throws Exception {
    try (WrittenFiles written = new WrittenFiles(WrittenFiles.Digests.COMPUTE, dir)) {
      written.add("a", Files.writeString(dir.resolve("a"), "first"));
      written.add("b", Files.writeString(dir.resolve("b"), "b"));
      written.add("a", Files.writeString(dir.resolve("a"), "again"));

      assertThat(written.await()).containsOnlyKeys("b");
    }
  }

  @Test
  void shouldReportAFileThatCouldNotBeFinishedAndStopTheExtraction() throws Exception {
    try (WrittenFiles written = new WrittenFiles(WrittenFiles.Digests.COMPUTE, dir)) {
      written.add("gone", dir.resolve("gone")); // never written: reading it back fails

      assertThatThrownBy(written::await).isInstanceOf(NoSuchFileException.class)
          .hasMessageContaining("gone");
      assertThatThrownBy(() -> written.add("next", Files.writeString(dir.resolve("next"), "x")))
          .as("the next file of the extraction is refused with the same failure")
          .isInstanceOf(NoSuchFileException.class).hasMessageContaining("gone");
    }
  }

  @Test
  void shouldHashWithoutForcingOnAFileSystemWithoutADisk() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        WrittenFiles written = new WrittenFiles(WrittenFiles.Digests.COMPUTE, fs.getPath("/"))) {
      Path file = Files.writeString(fs.getPath("/a"), "jimfs");
      written.add("a", file);

      assertThat(written.await())
          .containsExactly(Map.entry("a", sha256("jimfs".getBytes(StandardCharsets.UTF_8))));
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
