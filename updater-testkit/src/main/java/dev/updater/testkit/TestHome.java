package dev.updater.testkit;

import dev.updater.core.Layout;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An install home for a test, made by {@link TestHomes}: its path, its {@link Layout}, and
 * {@link #close()} to throw away the in-memory file system it may live on.
 *
 * <pre>{@code
 * try (TestHome home = TestHomes.jimfs()) {
 *   Updater updater = Updater.builder().home(home.path())...build();
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TestHome implements Closeable {
  private final Path path;
  private final Optional<FileSystem> owned;

  TestHome(Path path, Optional<FileSystem> owned) {
    this.path = Objects.requireNonNull(path, "path");
    this.owned = owned;
  }

  /** The home directory; it exists. */
  public Path path() {
    return path;
  }

  /** The layout rooted at {@link #path()}. */
  public Layout layout() {
    return Layout.of(path);
  }

  /**
   * Closes the in-memory file system the home lives on, freeing its memory; does nothing for a
   * home on disk (the test's temporary directory cleans that up). Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (owned.isPresent()) {
      owned.get().close();
    }
  }

  @Override
  public String toString() {
    return "TestHome[" + path.toUri() + "]";
  }
}
