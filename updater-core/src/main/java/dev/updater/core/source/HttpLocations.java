package dev.updater.core.source;

import dev.updater.core.Artifact;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.spi.VerificationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/** The URLs an {@link HttpReleaseSource} reads: its base, a channel's index, an artifact. */
final class HttpLocations {
  private HttpLocations() {}

  static URI index(URI base, String channel) {
    Objects.requireNonNull(channel, "channel");
    if (!MetadataJson.isChannelName(channel)) {
      throw new IllegalArgumentException("'" + channel + "' is not a channel name: it must start "
          + "with an ASCII letter or digit, followed by letters, digits, '.', '_' or '-'");
    }
    return base.resolve("channels/" + channel + ".json");
  }

  static URI artifact(URI base, Artifact artifact) throws VerificationException {
    URI uri;
    try {
      uri = base.resolve(new URI(artifact.location()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new VerificationException("the location '" + artifact.location() + "' of artifact "
          + artifact.name() + " is not a valid URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new VerificationException("the location '" + artifact.location() + "' of artifact "
          + artifact.name() + " is not an http(s) URL or a path relative to the repository");
    }
    return uri;
  }

  static URI base(URI baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("base URL " + baseUrl + " must be http or https");
    }
    if (baseUrl.getHost() == null) {
      throw new IllegalArgumentException("base URL " + baseUrl + " has no host");
    }
    if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
      throw new IllegalArgumentException("base URL " + baseUrl + " must not have a query or fragment");
    }
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    return path.endsWith("/") ? baseUrl : URI.create(baseUrl + "/");
  }
}
