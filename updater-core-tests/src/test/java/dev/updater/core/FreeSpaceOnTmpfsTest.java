package dev.updater.core;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The free-space behaviours on a real file system of 64 MB: a tmpfs mounted for the test. Needs
 * root to mount (CI runs as root); skipped, saying so, for anyone else.
 */
class FreeSpaceOnTmpfsTest extends FreeSpaceContract {
  @TempDir Path mountPoint;
  private boolean mounted;

  @Override
  Path smallFileSystem() throws IOException {
    assumeThat(System.getProperty("user.name")).as("mounting a tmpfs needs root").isEqualTo("root");
    run(List.of("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", mountPoint.toString()));
    mounted = true;
    return Files.createDirectories(mountPoint.resolve("srv"));
  }

  @AfterEach
  void unmount() throws IOException {
    if (mounted) {
      run(List.of("umount", mountPoint.toString()));
    }
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
