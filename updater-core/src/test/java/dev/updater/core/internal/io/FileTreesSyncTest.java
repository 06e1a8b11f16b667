package dev.updater.core.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forcing a staged tree whose unchanged files are hard links to the live release: the links whose
 * data is on disk already are skipped, every other file and every directory is forced.
 */
class FileTreesSyncTest {
  @TempDir
  Path tmp;

  private static Object key(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  @Test
  void shouldSkipTheLinkedFilesThatAreStillTheLinkedFile() throws IOException {
    Path live = Files.createDirectories(tmp.resolve("live"));
    Path a = Files.writeString(live.resolve("a"), "a");
    Path b = Files.writeString(live.resolve("b"), "b");
    Path staged = Files.createDirectories(tmp.resolve("staged/lib"));
    Files.createLink(staged.resolve("a"), a);
    Files.createLink(staged.resolve("b"), b);
    Files.delete(staged.resolve("b"));
    Files.writeString(staged.resolve("b"), "replaced after it was linked");
    Files.writeString(staged.resolve("new"), "fetched");
    Files.writeString(tmp.resolve("staged/top"), "copied");
    Map<String, Object> linked = Map.of("lib/a", key(a), "lib/b", key(b));

    TreeSync.Synced synced = FileTrees.syncRecursively(tmp.resolve("staged"), linked);

    assertThat(synced).as("lib/b, lib/new and top; staged and staged/lib")
        .isEqualTo(new TreeSync.Synced(3, 2));
  }

  @Test
  void shouldForceEverythingWhenNothingIsLinked() throws IOException {
    Path staged = Files.createDirectories(tmp.resolve("staged/lib"));
    Files.writeString(staged.resolve("a"), "a");
    Files.writeString(tmp.resolve("staged/b"), "b");

    assertThat(FileTrees.syncRecursively(tmp.resolve("staged"), Map.of()))
        .isEqualTo(new TreeSync.Synced(2, 2));
  }
}
