package dev.updater.core;

import dev.updater.core.spi.ReleaseSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link ReleaseSource} that reads an update repository from a local or mounted directory (an
 * air-gapped install, a USB stick, a shared volume). The layout is the one any static file host
 * serves:
 *
 * <pre>
 * &lt;repository&gt;/channels/&lt;channel&gt;.json      the channel's index (see docs/repository.md)
 * &lt;repository&gt;/releases/&lt;version&gt;/&lt;file&gt;    artifacts, located by their relative path
 * </pre>
 *
 * <p>Artifact locations are resolved against the repository root and must stay inside it.
 *
 * <pre>{@code
 * ReleaseSource source = DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DirectoryReleaseSource implements ReleaseSource {
  private final Path root;

  private DirectoryReleaseSource(Path root) {
    this.root = root;
  }

  /** A source reading the repository at {@code repository}. */
  public static DirectoryReleaseSource of(Path repository) {
    return new DirectoryReleaseSource(
        Objects.requireNonNull(repository, "repository").toAbsolutePath().normalize());
  }

  @Override
  public ReleaseIndex index(String channel) throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public InputStream open(Artifact artifact, long offset) throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public String describe() {
    return "directory " + root;
  }
}
