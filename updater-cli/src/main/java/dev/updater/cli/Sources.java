package dev.updater.cli;

import dev.updater.core.Artifact;
import dev.updater.core.DirectoryReleaseSource;
import dev.updater.core.HttpReleaseSource;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.TrustedKeys;
import dev.updater.core.spi.ReleaseSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a {@code --source} argument into a {@link ReleaseSource}: an explicit table from URI scheme
 * to factory ({@code http}, {@code https}, {@code file}), and a plain path for anything without a
 * scheme. Nothing is discovered from the classpath.
 *
 * <pre>{@code
 * ReleaseSource s = Sources.standard().open("https://updates.example.com/myapp/", Optional.of(keys));
 * }</pre>
 */
final class Sources {

  /** Makes a source from the argument and the trusted keys (empty: signatures not checked). */
  @FunctionalInterface
  interface Factory {
    ReleaseSource create(String argument, Optional<TrustedKeys> keys) throws CliException;
  }

  private final Map<String, Factory> byScheme;

  private Sources(Map<String, Factory> byScheme) {
    this.byScheme = new TreeMap<>(byScheme);
  }

  /** The sources core provides: http(s) URLs, file: URIs and directory paths. */
  static Sources standard() {
    Factory http = (argument, keys) -> {
      try {
        HttpReleaseSource.Builder b = HttpReleaseSource.builder(new URI(argument));
        keys.ifPresent(b::trustedKeys);
        return b.build();
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw CliException.badArgument("--source " + argument + " is not a usable http(s) URL: "
            + e.getMessage() + "; give the base URL of the repository, such as "
            + "https://updates.example.com/myapp/", e);
      }
    };
    Factory file = (argument, keys) -> {
      try {
        return directory(Path.of(new URI(argument)), keys);
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw CliException.badArgument("--source " + argument + " is not a usable file: URI: "
            + e.getMessage() + "; write it as file:///srv/updates/myapp or give the path", e);
      }
    };
    return new Sources(Map.of("http", http, "https", http, "file", file));
  }

  /** Opens the source named by {@code argument}. */
  ReleaseSource open(String argument, Optional<TrustedKeys> keys) throws CliException {
    Optional<String> scheme = scheme(argument);
    if (scheme.isEmpty()) {
      try {
        return directory(Path.of(argument), keys);
      } catch (InvalidPathException e) {
        throw CliException.badArgument("--source " + argument + " is not a valid path: "
            + e.getMessage(), e);
      }
    }
    Factory factory = byScheme.get(scheme.get());
    if (factory == null) {
      throw CliException.badArgument("--source " + argument + " has the scheme '" + scheme.get()
          + "', which the updater command does not know; use one of " + byScheme.keySet()
          + " or a directory path", null);
    }
    return factory.create(argument, keys);
  }

  private static ReleaseSource directory(Path path, Optional<TrustedKeys> keys) {
    return keys.map(k -> (ReleaseSource) DirectoryReleaseSource.of(path, k))
        .orElseGet(() -> DirectoryReleaseSource.of(path));
  }

  /** The lower-case scheme of a URI, if the argument has one (a drive letter like C: is not). */
  private static Optional<String> scheme(String argument) {
    int colon = argument.indexOf(':');
    if (colon < 2) {
      return Optional.empty();
    }
    String candidate = argument.substring(0, colon);
    if (!candidate.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return Optional.empty();
    }
    return Optional.of(candidate.toLowerCase(Locale.ROOT));
  }

  /**
   * A source for commands that never read one ({@code status}, {@code rollback}, {@code
   * clear-error}, {@code history}): {@code Updater.builder()} requires a source, and this one fails
   * with a clear message should it ever be asked for anything.
   */
  static ReleaseSource none() {
    return new ReleaseSource() {
      @Override
      public ReleaseIndex index(String channel) throws IOException {
        throw new IOException("this command reads no update source; use 'updater check' or "
            + "'updater install' with --source to read one");
      }

      @Override
      public InputStream open(Artifact artifact, long offset) throws IOException {
        throw new IOException("this command reads no update source; use 'updater install' with "
            + "--source to download " + artifact.name());
      }

      @Override
      public String describe() {
        return "no source (this command reads none)";
      }
    };
  }
}
