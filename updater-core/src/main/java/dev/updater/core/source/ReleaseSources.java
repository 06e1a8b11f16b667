package dev.updater.core.source;

import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.source.github.GitHubReleaseSource;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.source.InvalidSourceException.Kind;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider;
import dev.updater.core.spi.ReleaseSourceProvider.Request;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a {@link ReleaseSource} named by a URI, choosing the {@link ReleaseSourceProvider} that
 * serves the URI's scheme among those {@link ServiceLoader} finds. Built in:
 *
 * <ul>
 *   <li>{@code https://host/path/} and {@code http://...}: an {@link HttpReleaseSource} on that
 *       base URL;
 *   <li>{@code file:///srv/updates/myapp}, or a URI without a scheme (a plain directory path): a
 *       {@link DirectoryReleaseSource};
 *   <li>{@code github:owner/repo?asset=myapp-{version}.tar.gz}: a {@link GitHubReleaseSource},
 *       with the query options {@code asset} (required), {@code api}, {@code checksums}, {@code
 *       max-releases} and {@code token-env} (see {@code docs/sources.md}).
 * </ul>
 *
 * <p>{@link #resolve} picks which location an install uses: an environment variable, the settings
 * remembered in the home ({@link SourceSettings}), or a default, in that order.
 *
 * <p>More schemes plug in through the SPI ({@code docs/spi.md}). The lookup runs only when a caller
 * asks for a source by URI: the {@link Updater} builder still takes a source object.
 *
 * <pre>{@code
 * TrustedKeys keys = TrustedKeys.read(Path.of("/etc/myapp/updater.pub"));
 * ReleaseSource source = ReleaseSources.open(URI.create("https://updates.example.com/myapp/"), keys);
 * Updater updater = Updater.builder().home(home).source(source).build();
 * }</pre>
 *
 * <p>Thread-safe: every call makes its own lookup.
 */
public final class ReleaseSources {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseSources.class);

  private ReleaseSources() {}

  /**
   * Opens the source at {@code location}, whose metadata must be signed by one of {@code keys},
   * with the providers visible to the thread's context class loader.
   *
   * @throws InvalidSourceException when no provider (or more than one) serves the scheme, or the
   *     provider refuses the location
   */
  public static ReleaseSource open(URI location, TrustedKeys keys) {
    return open(Request.signed(location, keys), defaultLoader());
  }

  /** Like {@link #open(URI, TrustedKeys)}, with the providers {@code loader} finds. */
  public static ReleaseSource open(URI location, TrustedKeys keys, ClassLoader loader) {
    return open(Request.signed(location, keys), loader);
  }

  /**
   * Opens the source at {@code location}, which follows the repository's signed key lists from
   * {@code root} (see {@link TrustRoot}), with the providers visible to the thread's context class
   * loader.
   *
   * @throws InvalidSourceException as {@link #open(URI, TrustedKeys)} does, and when the provider
   *     cannot follow key lists (the {@code github:} source, for now)
   */
  public static ReleaseSource open(URI location, TrustRoot root) {
    return open(Request.rooted(location, root), defaultLoader());
  }

  /**
   * Opens the source {@code request} names (use {@link Request#unsigned} for a repository trusted
   * as it is), with the providers visible to the thread's context class loader.
   */
  public static ReleaseSource open(Request request) {
    return open(request, defaultLoader());
  }

  /**
   * Opens the source {@code request} names with the providers {@code loader} finds.
   *
   * @throws InvalidSourceException when no provider (or more than one) serves the scheme, or the
   *     provider refuses the location
   */
  public static ReleaseSource open(Request request, ClassLoader loader) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(loader, "loader");
    String scheme = request.scheme().orElse(DIRECTORY_SCHEME);
    Lookup lookup = lookup(loader);
    List<ReleaseSourceProvider> candidates = lookup.byScheme.getOrDefault(scheme, List.of());
    String location = request.location().toString();
    if (candidates.isEmpty()) {
      throw new InvalidSourceException(Kind.UNKNOWN_SCHEME, location, lookup.usable(),
          "the source " + location + " has the scheme '" + scheme + "', which no release source"
              + " provider serves; use one of " + lookup.usable() + " or a directory path"
              + lookup.brokenNote(), null);
    }
    if (candidates.size() > 1) {
      throw new InvalidSourceException(Kind.AMBIGUOUS_SCHEME, location, lookup.usable(),
          "the scheme '" + scheme + "' of " + location + " is claimed by several providers ("
              + candidates.stream().map(p -> p.getClass().getName())
                  .collect(Collectors.joining(", "))
              + "); remove all but one from the class path", null);
    }
    ReleaseSourceProvider provider = candidates.get(0);
    try {
      ReleaseSource source = Objects.requireNonNull(provider.open(request),
          () -> provider.getClass().getName() + " returned no source");
      LOG.debug("Opened {} for {} with {}", source.describe(), request,
          provider.getClass().getName());
      return source;
    } catch (IllegalArgumentException e) {
      throw new InvalidSourceException(Kind.INVALID_LOCATION, location, lookup.usable(),
          "cannot use the source " + location + ": " + e.getMessage(), e);
    }
  }

  /** The schemes that exactly one provider visible to {@code loader} serves, sorted. */
  public static Set<String> schemes(ClassLoader loader) {
    return lookup(Objects.requireNonNull(loader, "loader")).usable();
  }

  /**
   * Turns the text of a {@code --source} option, an environment variable or a settings file into
   * a location: a text that starts with a scheme (two or more letters, then {@code :}) is a URI,
   * anything else a directory path made absolute (a drive path such as {@code C:/updates} too).
   * Characters a URI does not allow, such as the braces of {@code {version}}, are quoted.
   *
   * @throws InvalidSourceException when the text is neither a URI nor a path
   */
  public static URI location(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new InvalidSourceException(Kind.INVALID_LOCATION, text, Set.of(),
          "the source location is empty; give a URL, a file: URI or a directory path", null);
    }
    int colon = trimmed.indexOf(':');
    boolean hasScheme = colon >= 2
        && trimmed.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*");
    if (!hasScheme) {
      try {
        return Path.of(trimmed).toAbsolutePath().normalize().toUri();
      } catch (InvalidPathException e) {
        throw new InvalidSourceException(Kind.INVALID_LOCATION, text, Set.of(),
            "the source " + text + " is neither a URI nor a valid path: " + e.getMessage(), e);
      }
    }
    try {
      return new URI(trimmed);
    } catch (URISyntaxException strict) {
      try {
        int hash = trimmed.indexOf('#');
        String ssp = trimmed.substring(colon + 1, hash < 0 ? trimmed.length() : hash);
        String fragment = hash < 0 ? null : trimmed.substring(hash + 1);
        // Quotes the characters a URI may not hold (such as '{'), but also '%': only used
        // when the text was not already a valid URI.
        return new URI(trimmed.substring(0, colon), ssp, fragment);
      } catch (URISyntaxException e) {
        throw new InvalidSourceException(Kind.INVALID_LOCATION, text, Set.of(),
            "the source " + text + " is not a valid URI: " + strict.getMessage(), strict);
      }
    }
  }

  /**
   * Which source an install reads, in this order: the environment variable {@code envVar}
   * when it is set and not blank, then the settings remembered in {@code home} ({@link
   * SourceSettings#read}), then {@code defaultSource}. Reads the process's environment.
   *
   * @throws InvalidSourceException when the variable is set but is neither a URI nor a path (a
   *     configuration mistake is not passed over)
   * @throws UpdateException {@code IO_ERROR} when the stored settings exist but cannot be used
   */
  public static ResolvedSource resolve(String envVar, Path home, URI defaultSource) {
    return resolve(System.getenv(), envVar, home, defaultSource);
  }

  /** Like {@link #resolve(String, Path, URI)}, reading the variable from {@code environment}. */
  public static ResolvedSource resolve(Map<String, String> environment, String envVar, Path home,
      URI defaultSource) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(envVar, "envVar");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(defaultSource, "defaultSource");
    String fromEnv = environment.get(envVar);
    ResolvedSource resolved;
    if (fromEnv != null && !fromEnv.isBlank()) {
      URI location;
      try {
        location = location(fromEnv);
      } catch (InvalidSourceException e) {
        throw new InvalidSourceException(e.kind(), fromEnv, e.knownSchemes(), "the environment "
            + "variable " + envVar + ": " + e.getMessage(), e);
      }
      resolved = new ResolvedSource(SourceSettings.of(location), ResolvedSource.Origin.ENVIRONMENT);
    } else {
      resolved = SourceSettings.read(home)
          .map(s -> new ResolvedSource(s, ResolvedSource.Origin.STORED))
          .orElseGet(() -> new ResolvedSource(SourceSettings.of(defaultSource),
              ResolvedSource.Origin.DEFAULT));
    }
    LOG.info("Update source {} (from {})", resolved.settings().source(),
        resolved.origin() == ResolvedSource.Origin.ENVIRONMENT ? "environment variable " + envVar
            : resolved.origin() == ResolvedSource.Origin.STORED ? SourceSettings.file(home)
            : "the default");
    return resolved;
  }

  /** The scheme that stands for a plain path: the directory provider serves it. */
  private static final String DIRECTORY_SCHEME = "file";

  private static ClassLoader defaultLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : ReleaseSources.class.getClassLoader();
  }

  private static Lookup lookup(ClassLoader loader) {
    Map<String, List<ReleaseSourceProvider>> byScheme = new LinkedHashMap<>();
    List<String> broken = new ArrayList<>();
    Iterator<ReleaseSourceProvider> it = ServiceLoader.load(ReleaseSourceProvider.class, loader)
        .iterator();
    while (true) {
      ReleaseSourceProvider provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError e) {
        LOG.warn("Skipping a release source provider that cannot be loaded: {}", e.getMessage());
        broken.add(e.getMessage());
        continue;
      }
      Set<String> schemes;
      try {
        schemes = provider.schemes();
      } catch (RuntimeException e) {
        LOG.warn("Skipping {}: its schemes() failed", provider.getClass().getName(), e);
        broken.add(provider.getClass().getName() + ": " + e);
        continue;
      }
      for (String s : schemes) {
        byScheme.computeIfAbsent(s.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(provider);
      }
    }
    return new Lookup(byScheme, broken);
  }

  private record Lookup(Map<String, List<ReleaseSourceProvider>> byScheme, List<String> broken) {
    Set<String> usable() {
      return byScheme.entrySet().stream().filter(e -> e.getValue().size() == 1)
          .map(Map.Entry::getKey).collect(Collectors.collectingAndThen(
              Collectors.toCollection(TreeSet::new), java.util.Collections::unmodifiableSet));
    }

    String brokenNote() {
      return broken.isEmpty() ? ""
          : " (providers that could not be loaded: " + String.join("; ", broken) + ")";
    }
  }
}
