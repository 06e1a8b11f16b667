package dev.updater.cli;

import dev.updater.core.Artifact;
import dev.updater.core.source.InvalidSourceException;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.source.ReleaseSources;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider.Request;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * Turns a {@code --source} argument into a {@link ReleaseSource} through {@link ReleaseSources}:
 * the provider of the argument's URI scheme ({@code http}, {@code https}, {@code file}, {@code
 * github}, and any other provider on the class path), or a directory for a plain path.
 *
 * <pre>{@code
 * ReleaseSource s = Sources.standard().open("https://updates.example.com/myapp/", Optional.of(keys));
 * }</pre>
 */
final class Sources {
  private final ClassLoader loader;

  private Sources(ClassLoader loader) {
    this.loader = loader;
  }

  /** The sources whose providers the command's own class loader finds. */
  static Sources standard() {
    return new Sources(Sources.class.getClassLoader());
  }

  /** Opens the source named by {@code argument}; empty keys: signatures are not checked. */
  ReleaseSource open(String argument, Optional<TrustedKeys> keys) throws CliException {
    return open(location(argument), keys);
  }

  /** The location {@code argument} names: a URI, or a directory path made absolute. */
  static URI location(String argument) throws CliException {
    try {
      return ReleaseSources.location(argument);
    } catch (InvalidSourceException e) {
      throw CliException.badArgument("--source: " + e.getMessage(), e);
    }
  }

  /** Opens the source at {@code location}; empty keys: signatures are not checked. */
  ReleaseSource open(URI location, Optional<TrustedKeys> keys) throws CliException {
    return open(location, keys, Optional.empty());
  }

  /**
   * Opens the source at {@code location}, following key lists from {@code root} when given, else
   * checking signatures with {@code keys} when given.
   */
  ReleaseSource open(URI location, Optional<TrustedKeys> keys, Optional<TrustRoot> root)
      throws CliException {
    try {
      return ReleaseSources.open(root.isPresent() ? Request.rooted(location, root.get())
          : new Request(location, keys, System.getenv()), loader);
    } catch (InvalidSourceException e) {
      String forms = e.kind() != InvalidSourceException.Kind.INVALID_LOCATION ? ""
          : "; the forms are https://updates.example.com/myapp/, file:///srv/updates/myapp, a "
              + "directory path, or github:owner/repo?asset=myapp-{version}.tar.gz";
      throw CliException.badArgument("--source: " + e.getMessage() + forms, e);
    }
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
