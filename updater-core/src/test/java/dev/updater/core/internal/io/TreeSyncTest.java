package dev.updater.core.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeSyncTest {
  @TempDir Path dir;

  @Test
  void shouldForceEveryFileAndDirectoryOfTheTreeWithoutFollowingLinks() throws IOException {
    Path root = Files.createDirectory(dir.resolve("release"));
    for (int i = 0; i < 40; i++) {
      Path file = root.resolve("lib/" + (i % 4) + "/f" + i);
      Files.createDirectories(file.getParent());
      Files.writeString(file, "content " + i);
    }
    Path outside = Files.createDirectories(dir.resolve("outside/deep"));
    Files.writeString(outside.resolve("secret"), "x");
    Files.createSymbolicLink(root.resolve("link-to-dir"), outside);
    Files.createSymbolicLink(root.resolve("link-to-file"), outside.resolve("secret"));

    TreeSync.Synced synced = TreeSync.sync(root);

    // 40 files; release, lib and lib/0..3 are the directories: the links are not walked
    assertThat(synced).isEqualTo(new TreeSync.Synced(40, 6));
    assertThat(Files.readString(root.resolve("lib/3/f39"))).isEqualTo("content 39");
  }

  @Test
  void shouldForceEveryOtherPathAndThenReportTheOnesThatFailed() throws IOException {
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      paths.add(Files.writeString(dir.resolve("f" + i), "x"));
    }
    paths.add(5, dir.resolve("vanished-1"));
    paths.add(dir.resolve("vanished-2"));

    assertThatThrownBy(() -> TreeSync.forceAll(paths, false))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("vanished-1")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(s -> assertThat(s).hasMessageContaining("vanished-2")));
  }

  @Test
  void shouldDoNothingOnAFileSystemWithoutADisk() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path root = Files.createDirectories(fs.getPath("/home/release"));
      Files.writeString(root.resolve("a"), "a");

      assertThat(TreeSync.sync(root)).isEqualTo(new TreeSync.Synced(0, 0));
    }
  }
}
