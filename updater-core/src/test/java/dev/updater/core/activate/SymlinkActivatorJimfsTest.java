package dev.updater.core.activate;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** {@link SymlinkActivatorFlowTest} on an in-memory Unix-like file system: the path rules. */
class SymlinkActivatorJimfsTest extends SymlinkActivatorFlowTest {
  private FileSystem fs;

  @Override
  Path newHome() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    return Files.createDirectories(fs.getPath("/opt/myapp"));
  }

  @Override
  Path newOutsideDirectory() throws IOException {
    return Files.createDirectories(fs.getPath("/tmp/outside"));
  }

  @AfterEach
  void closeFileSystem() throws IOException {
    fs.close();
  }
}
