package dev.updater.core.source;

import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider;
import java.util.Set;

/**
 * The built-in provider of {@code http:} and {@code https:} URLs: an {@link HttpReleaseSource} on
 * the URL as base, with the default settings. Not API; registered in {@code META-INF/services}.
 */
public final class HttpSourceProvider implements ReleaseSourceProvider {

  /** For {@link java.util.ServiceLoader}. */
  public HttpSourceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("http", "https");
  }

  @Override
  public ReleaseSource open(Request request) {
    HttpReleaseSource.Builder builder = HttpReleaseSource.builder(request.location());
    request.trustedKeys().ifPresent(builder::trustedKeys);
    return builder.build();
  }
}
