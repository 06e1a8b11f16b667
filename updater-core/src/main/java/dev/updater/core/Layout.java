package dev.updater.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where things live in an install's home directory:
 *
 * <pre>
 * &lt;home&gt;/releases/&lt;version&gt;/   one directory per release, never modified once activated
 * &lt;home&gt;/current -&gt; releases/&lt;v&gt;  the live release, switched atomically
 * &lt;home&gt;/shared/                data/, config/, logs/ ... linked into each release
 * &lt;home&gt;/.updater/              journal, lock, downloads, staging, history
 * </pre>
 *
 * <p>Every path is resolved from the home, so a layout works on any {@link java.nio.file.FileSystem}
 * (the default one, or Jimfs in tests). Immutable and thread-safe.
 *
 * <pre>{@code
 * Layout layout = Layout.of(Path.of("/opt/myapp"));
 * Path data = layout.shared().resolve("data");
 * }</pre>
 */
public final class Layout {
  private final Path home;

  private Layout(Path home) {
    this.home = home;
  }

  /** The layout rooted at {@code home}, made absolute. */
  public static Layout of(Path home) {
    return new Layout(Objects.requireNonNull(home, "home").toAbsolutePath().normalize());
  }

  /** The install's home directory. */
  public Path home() {
    return home;
  }

  /** {@code <home>/releases}: one directory per release. */
  public Path releases() {
    return home.resolve("releases");
  }

  /** {@code <home>/releases/<version>}. */
  public Path release(Version version) {
    return releases().resolve(version.toString());
  }

  /** {@code <home>/current}: the symbolic link to the live release. */
  public Path current() {
    return home.resolve("current");
  }

  /** {@code <home>/shared}: state that every release shares (data, config, logs). */
  public Path shared() {
    return home.resolve("shared");
  }

  /** {@code <home>/.updater}: the updater's own state. */
  public Path state() {
    return home.resolve(".updater");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Layout && ((Layout) o).home.equals(home);
  }

  @Override
  public int hashCode() {
    return home.hashCode();
  }

  @Override
  public String toString() {
    return "Layout[" + home + "]";
  }
}
