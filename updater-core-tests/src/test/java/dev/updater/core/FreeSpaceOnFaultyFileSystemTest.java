package dev.updater.core;

import dev.updater.testkit.FaultyFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The free-space behaviours on the fault-injecting file system, limited to 64 MB. */
class FreeSpaceOnFaultyFileSystemTest extends FreeSpaceContract {
  private FaultyFileSystem disk;

  @Override
  Path smallFileSystem() throws IOException {
    disk = FaultyFileSystem.inMemory().limitSpace(SIZE);
    return Files.createDirectories(disk.path("/srv"));
  }

  @AfterEach
  void closeDisk() throws IOException {
    disk.close();
  }
}
