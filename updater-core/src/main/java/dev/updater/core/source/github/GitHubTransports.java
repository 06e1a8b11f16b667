package dev.updater.core.source.github;

import dev.updater.core.Artifact;
import dev.updater.core.internal.http.Credentials;
import dev.updater.core.internal.http.Exchange;
import dev.updater.core.internal.http.HttpOptions;
import dev.updater.core.internal.http.HttpTransport;
import dev.updater.core.spi.VerificationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of {@link GitHubReleaseSource}: the transport of the API request (GitHub's JSON
 * media type and API version, and with a token a client that never follows a redirect, so the
 * token cannot be forwarded to another host) and the check of an artifact's download URL.
 * Stateless.
 */
final class GitHubTransports {

  private GitHubTransports() {}

  /** The transport of the API request, with an {@code Authorization} header when given a token. */
  static HttpTransport api(HttpOptions options, Exchange exchange, String token,
      String apiVersion) {
    Map<String, String> apiHeaders = new LinkedHashMap<>();
    apiHeaders.put("Accept", "application/vnd.github+json");
    apiHeaders.put("X-GitHub-Api-Version", apiVersion);
    String setting = "GitHubReleaseSource.Builder.token (token-env of a github: location)";
    Credentials credentials = Credentials.none(setting);
    Exchange apiExchange = exchange;
    if (token != null) {
      credentials = new Credentials(Map.of("Authorization", "Bearer " + token), Optional.empty(),
          setting);
      apiExchange = exchange.withoutRedirects();
    }
    HttpTransport transport =
        new HttpTransport(options.settings(apiExchange), apiHeaders, credentials);
    return token != null ? transport.withoutRedirects() : transport;
  }

  /** The artifact's location, when it is an absolute http(s) URL. */
  static URI downloadUri(Artifact artifact) throws VerificationException {
    try {
      URI uri = new URI(artifact.location());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new VerificationException("the location '" + artifact.location() + "' of artifact "
        + artifact.name() + " is not an absolute http(s) URL");
  }
}
