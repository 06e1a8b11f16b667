package dev.updater.core.spi;

import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Makes {@link ReleaseSource}s for the URI schemes it serves, so that a host or the {@code updater}
 * command can name a source by a URI such as {@code https://updates.example.com/myapp/}, {@code
 * file:///srv/updates/myapp} or {@code github:my-org/myapp?asset=myapp-{version}.tar.gz}.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} when the caller asks for a source by
 * URI through {@link dev.updater.core.source.ReleaseSources#open}: a jar registers one by listing its
 * class in {@code META-INF/services/dev.updater.core.spi.ReleaseSourceProvider}. Nothing else
 * looks them up, so a provider on the classpath changes nothing until a caller names its scheme.
 * Two providers claiming the same scheme make that scheme unusable (the lookup refuses to choose);
 * the built-in schemes are {@code http}, {@code https}, {@code file} and {@code github}.
 *
 * <pre>{@code
 * public final class S3SourceProvider implements ReleaseSourceProvider {
 *   public Set<String> schemes() { return Set.of("s3"); }
 *   public ReleaseSource open(Request request) {
 *     return new S3ReleaseSource(request.location(), request.trustedKeys());
 *   }
 * }
 * }</pre>
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe: {@link #open}
 * may be called from several threads. See {@code docs/spi.md}.
 */
public interface ReleaseSourceProvider {

  /**
   * The lower-case URI schemes this provider serves, such as {@code Set.of("s3")}; never empty.
   * Called once per lookup.
   */
  Set<String> schemes();

  /**
   * Makes the source for {@code request.location()}, whose scheme is one of {@link #schemes()}.
   * Should only check the location and build the source; reading the repository belongs in {@link
   * ReleaseSource#index}.
   *
   * <p>A source must check signatures with {@link Request#trustedKeys()} when keys are given; when
   * it cannot (its format carries no signatures) it must refuse a request with keys rather than
   * ignore them. A request with a {@link Request#trustRoot()} asks the source to follow the
   * repository's signed key lists; a source that cannot must refuse it (its {@code trustedKeys}
   * then hold the root keys, so a provider unaware of trust roots fails closed).
   *
   * @throws IllegalArgumentException when the location is not one this provider can use; the
   *     message says what is wrong and how to write it
   */
  ReleaseSource open(Request request);

  /**
   * What a caller asks a provider for.
   *
   * @param location the source's URI, as the caller wrote it
   * @param trustedKeys the keys the repository's metadata must be signed by; empty when the
   *     caller explicitly trusts the source as it is (an unsigned repository)
   * @param environment the environment variables a location may refer to by name (such as the
   *     {@code token-env} option of {@code github:}); usually {@code System.getenv()}
   * @param trustRoot the root the repository's key lists must lead from, when the caller trusts
   *     a root rather than the publishing keys themselves
   */
  record Request(URI location, Optional<TrustedKeys> trustedKeys,
      Map<String, String> environment, Optional<TrustRoot> trustRoot) {

    public Request {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(trustedKeys, "trustedKeys");
      environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      Objects.requireNonNull(trustRoot, "trustRoot");
      if (trustRoot.isPresent() && !trustedKeys.equals(Optional.of(trustRoot.get().keys()))) {
        throw new IllegalArgumentException("a request with a trust root carries its root keys as "
            + "trustedKeys; use Request.rooted");
      }
    }

    /** A request without a trust root. */
    public Request(URI location, Optional<TrustedKeys> trustedKeys,
        Map<String, String> environment) {
      this(location, trustedKeys, environment, Optional.empty());
    }

    /**
     * A request for a source that follows the repository's signed key lists from {@code root}.
     */
    public static Request rooted(URI location, TrustRoot root) {
      Objects.requireNonNull(root, "root");
      return new Request(location, Optional.of(root.keys()), System.getenv(), Optional.of(root));
    }

    /** A request for a source whose metadata must be signed by one of {@code keys}. */
    public static Request signed(URI location, TrustedKeys keys) {
      return new Request(location, Optional.of(Objects.requireNonNull(keys, "keys")),
          System.getenv());
    }

    /** A request for a source that is trusted as it is, without signatures. */
    public static Request unsigned(URI location) {
      return new Request(location, Optional.empty(), System.getenv());
    }

    /** This request with {@code environment} in place of the process's environment. */
    public Request withEnvironment(Map<String, String> environment) {
      return new Request(location, trustedKeys, environment, trustRoot);
    }

    /** The location and whether keys are given; never the environment, which may hold secrets. */
    @Override
    public String toString() {
      return "Request[" + location + (trustRoot.isPresent() ? ", key lists from a root"
          : trustedKeys.isPresent() ? ", signed" : ", unsigned") + "]";
    }

    /** The location's scheme in lower case, or empty for a plain path. */
    public Optional<String> scheme() {
      return Optional.ofNullable(location.getScheme())
          .map(s -> s.toLowerCase(java.util.Locale.ROOT));
    }
  }
}
