package dev.updater.core.source;

import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The built-in provider of {@code file:} URIs and plain paths: a {@link DirectoryReleaseSource}.
 * Not API; registered in {@code META-INF/services}.
 */
public final class DirectorySourceProvider implements ReleaseSourceProvider {

  /** For {@link java.util.ServiceLoader}. */
  public DirectorySourceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public ReleaseSource open(Request request) {
    Path directory = directory(request.location());
    if (request.trustRoot().isPresent()) {
      return DirectoryReleaseSource.of(directory, request.trustRoot().get());
    }
    return request.trustedKeys()
        .<ReleaseSource>map(keys -> DirectoryReleaseSource.of(directory, keys))
        .orElseGet(() -> DirectoryReleaseSource.of(directory));
  }

  private static Path directory(URI location) {
    if (location.getRawQuery() != null || location.getRawFragment() != null) {
      throw new IllegalArgumentException("a directory source takes no query or fragment; write "
          + "it as file:///srv/updates/myapp or as a plain path");
    }
    try {
      if (location.getScheme() == null) {
        return Path.of(location.getPath());
      }
      return Path.of(location);
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      throw new IllegalArgumentException("not a usable file: URI (" + e.getMessage() + "); write "
          + "it as file:///srv/updates/myapp, with an absolute path and no host", e);
    }
  }
}
