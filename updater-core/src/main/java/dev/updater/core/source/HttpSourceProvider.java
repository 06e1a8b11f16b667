package dev.updater.core.source;

import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The built-in provider of {@code http:} and {@code https:} URLs: an {@link HttpReleaseSource} on
 * the URL as base, with the default settings and these variables of the request's environment:
 * {@value #AUTHORIZATION} (the {@code Authorization} header's value, such as {@code Bearer
 * <token>}), {@value #TRUST_STORE} (a PKCS12 or JKS trust store for https) and {@value
 * #TRUST_STORE_PASSWORD} (its password, if it has one). Not API; registered in {@code
 * META-INF/services}.
 */
public final class HttpSourceProvider implements ReleaseSourceProvider {
  /** The variable holding the {@code Authorization} header's value. */
  public static final String AUTHORIZATION = "UPDATER_HTTP_AUTHORIZATION";
  /** The variable naming a trust store file (PKCS12 or JKS) that replaces the JDK's for https. */
  public static final String TRUST_STORE = "UPDATER_HTTP_TRUST_STORE";
  /** The variable holding the trust store's password. */
  public static final String TRUST_STORE_PASSWORD = "UPDATER_HTTP_TRUST_STORE_PASSWORD";

  /** For {@link java.util.ServiceLoader}. */
  public HttpSourceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("http", "https");
  }

  @Override
  public ReleaseSource open(Request request) {
    HttpReleaseSource.Builder builder = HttpReleaseSource.builder(request.location())
        .authorizationSetBy("the environment variable " + AUTHORIZATION);
    request.trustedKeys().ifPresent(builder::trustedKeys);
    request.trustRoot().ifPresent(builder::trustRoot);
    Map<String, String> env = request.environment();
    String authorization = env.get(AUTHORIZATION);
    if (authorization != null && !authorization.isBlank()) {
      builder.authorization(authorization);
    }
    String trustStore = env.get(TRUST_STORE);
    if (trustStore != null && !trustStore.isBlank()) {
      String password = env.getOrDefault(TRUST_STORE_PASSWORD, "");
      try {
        builder.trustStore(Path.of(trustStore), password.toCharArray());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(TRUST_STORE + ": " + e.getMessage(), e);
      }
    }
    return builder.build();
  }
}
