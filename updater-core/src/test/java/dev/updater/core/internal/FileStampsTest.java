package dev.updater.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stamps kept of a release's files: they read back as written (paths with spaces and tabs
 * too), a record cut short or damaged reads as none, and a stamp tells a file changed in place or
 * replaced from the file it was taken of.
 */
class FileStampsTest {
  @TempDir
  Path tmp;

  private static BasicFileAttributes attrs(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void shouldReadBackWhatWasWritten() {
    Map<String, FileStamps.Stamp> stamps = new LinkedHashMap<>();
    stamps.put("lib/a.jar", new FileStamps.Stamp(10, 1_700_000_000_123_456_789L, "(dev=803,ino=7)"));
    stamps.put("docs/with space\tand tab.txt", new FileStamps.Stamp(0, 0, "-"));

    assertThat(FileStamps.decode(FileStamps.encode(stamps))).contains(stamps);
  }

  @Test
  void shouldIgnoreARecordCutShortOrDamaged() {
    byte[] whole = FileStamps.encode(Map.of("a", new FileStamps.Stamp(1, 2, "k"),
        "b", new FileStamps.Stamp(3, 4, "k")));

    for (int n = 0; n < whole.length; n++) {
      assertThat(FileStamps.decode(Arrays.copyOf(whole, n))).as("first %d bytes", n).isEmpty();
    }
    String text = new String(whole, StandardCharsets.UTF_8);
    assertThat(FileStamps.decode(text.replace("\t2\t", "\tx\t").getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
    assertThat(FileStamps.decode(new byte[0])).isEmpty();
  }

  @Test
  void shouldMatchTheSameFileUnchanged() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "content");
    FileStamps.Stamp stamp = FileStamps.Stamp.of(attrs(file));

    assertThat(stamp.matches(attrs(file))).isTrue();
  }

  @Test
  void shouldTellAFileWrittenInPlaceWithTheSameSize() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "content");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L));
    FileStamps.Stamp stamp = FileStamps.Stamp.of(attrs(file));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {'C'}), 0);
    }

    assertThat(stamp.matches(attrs(file))).isFalse();
  }

  @Test
  void shouldTellAFileReplacedByAnotherWithTheSameSizeAndTime() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "content");
    FileStamps.Stamp stamp = FileStamps.Stamp.of(attrs(file));
    Path other = Files.writeString(tmp.resolve("g"), "CONTENT");
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
    Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThat(stamp.matches(attrs(file))).isFalse();
  }
}
