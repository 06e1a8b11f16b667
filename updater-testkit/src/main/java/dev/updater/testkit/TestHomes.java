package dev.updater.testkit;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Install homes for tests: on a fresh in-memory Unix file system ({@link #jimfs()}), fast and
 * isolated, with symbolic links and POSIX modes; or in a directory on disk ({@link #onDisk}), for
 * what Jimfs does not model (a real {@code fsync}, {@code rename(2)} across processes).
 *
 * <pre>{@code
 * try (TestHome home = TestHomes.jimfs()) {          // /home/app on its own Jimfs
 *   Files.writeString(home.layout().shared().resolve("data/db.txt"), "rows");
 *   ...
 * }
 * TestHome disk = TestHomes.onDisk(tempDir);          // with JUnit's @TempDir
 * }</pre>
 *
 * <p>Thread-safe: every {@link #jimfs()} call makes a new file system.
 */
public final class TestHomes {
  /** Where {@link #jimfs()} puts the home. */
  public static final String JIMFS_HOME = "/home/app";

  private TestHomes() {}

  /**
   * A home at {@value #JIMFS_HOME} on a new Jimfs Unix file system with the {@code posix} and
   * {@code unix} attribute views, so file modes survive. Close the returned home to free it.
   */
  public static TestHome jimfs() {
    FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setAttributeViews("basic", "owner", "posix", "unix")
        .setWorkingDirectory(JIMFS_HOME)
        .build());
    try {
      return new TestHome(Files.createDirectories(fs.getPath(JIMFS_HOME)), Optional.of(fs));
    } catch (IOException e) {
      closeQuietly(fs, e);
      throw new UncheckedIOException(e);
    }
  }

  /** A home at {@code directory} on its own file system, created if needed. */
  public static TestHome onDisk(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      return new TestHome(Files.createDirectories(directory).toAbsolutePath(), Optional.empty());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(FileSystem fs, IOException failure) {
    try {
      fs.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
