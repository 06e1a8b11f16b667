package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** The disk model of {@link FaultyFileSystem}: what survives a power cut, and a full disk. */
class FaultyFileSystemTest {

  @Test
  void aFileWrittenButNeverForcedIsGoneAfterAPowerCut() throws IOException {
    try (FaultyFileSystem disk = FaultyFileSystem.inMemory()) {
      Path dir = Files.createDirectories(disk.path("/data"));
      disk.markDurable();
      Files.writeString(dir.resolve("new.txt"), "lost");

      try (FaultyFileSystem rebooted = disk.afterPowerCut()) {
        assertThat(rebooted.path("/data/new.txt")).doesNotExist();
        assertThat(rebooted.path("/data")).isDirectory();
      }
    }
  }

  @Test
  void anEntryWhoseDirectoryWasForcedButNotItsBytesComesBackEmpty() throws IOException {
    try (FaultyFileSystem disk = FaultyFileSystem.inMemory()) {
      Path dir = Files.createDirectories(disk.path("/data"));
      disk.markDurable();
      Files.writeString(dir.resolve("torn.txt"), "never forced");
      forceDirectory(dir);

      try (FaultyFileSystem rebooted = disk.afterPowerCut()) {
        assertThat(rebooted.path("/data/torn.txt")).isEmptyFile();
      }
    }
  }

  @Test
  void anAtomicReplaceSurvivesOnlyWithTheFileAndTheDirectoryForced() throws IOException {
    try (FaultyFileSystem disk = FaultyFileSystem.inMemory()) {
      Path dir = Files.createDirectories(disk.path("/data"));
      Files.writeString(dir.resolve("state"), "old");
      disk.markDurable();
      Path tmp = dir.resolve("state.tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap("new".getBytes()));
        ch.force(true);
      }
      Files.move(tmp, dir.resolve("state"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);

      try (FaultyFileSystem rebooted = disk.afterPowerCut()) {
        assertThat(rebooted.path("/data/state")).as("rename not yet durable").hasContent("old");
      }
      forceDirectory(dir);
      try (FaultyFileSystem rebooted = disk.afterPowerCut()) {
        assertThat(rebooted.path("/data/state")).hasContent("new");
        assertThat(rebooted.path("/data/state.tmp")).doesNotExist();
      }
      assertThat(disk.forces()).containsExactly("file /data/state.tmp", "directory /data");
    }
  }

  @Test
  void everyCallFailsFromTheWriteWhereThePowerIsCut() throws IOException {
    try (FaultyFileSystem disk = FaultyFileSystem.inMemory()) {
      Path dir = Files.createDirectories(disk.path("/data"));
      disk.markDurable();
      disk.cutPowerAtWrite(2);
      Files.createDirectory(dir.resolve("a"));

      assertThatThrownBy(() -> Files.createDirectory(dir.resolve("b")))
          .isInstanceOf(FaultyFileSystem.PowerCutException.class);
      assertThatThrownBy(() -> Files.readAttributes(dir, "size"))
          .isInstanceOf(FaultyFileSystem.PowerCutException.class);
      assertThat(disk.powerCut()).contains("write 3: create directory /data/b");
      assertThat(disk.writeLog()).containsExactly("create directory /data",
          "create directory /data/a", "create directory /data/b");
    }
  }

  @Test
  void aWritePastTheSpaceLimitFailsAsOnAFullDisk() throws IOException {
    try (FaultyFileSystem disk = FaultyFileSystem.inMemory().limitSpace(1000)) {
      Path dir = Files.createDirectories(disk.path("/data"));
      Files.write(dir.resolve("a"), new byte[600]);

      assertThat(Files.getFileStore(dir).getUsableSpace()).isEqualTo(400);
      assertThat(Files.getFileStore(dir).getTotalSpace()).isEqualTo(1000);
      assertThatThrownBy(() -> Files.write(dir.resolve("b"), new byte[500]))
          .isInstanceOf(FileSystemException.class).hasMessageContaining("No space left on device");
    }
  }

  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
