package dev.updater.core.source.github;

import dev.updater.core.source.github.GitHubReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The built-in provider of {@code github:owner/repo?asset=NAME-{version}.tar.gz}: a {@link
 * GitHubReleaseSource}. Query options (each at most once, values percent-encoded where needed):
 * {@code asset} (required, the asset name with {@code {version}}), {@code api} (the REST API
 * base), {@code checksums} (the checksum file name), {@code max-releases} (1..100) and {@code
 * token-env} (the name of an environment variable holding a token; the token itself never
 * appears in a URI). Not API; registered in {@code META-INF/services}.
 */
public final class GitHubSourceProvider implements ReleaseSourceProvider {
  private static final Set<String> OPTIONS =
      Set.of("asset", "api", "checksums", "max-releases", "token-env");
  private static final String FORM = "write it as github:owner/repo?asset=myapp-{version}.tar.gz";

  /** For {@link java.util.ServiceLoader}. */
  public GitHubSourceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("github");
  }

  @Override
  public ReleaseSource open(Request request) {
    URI location = request.location();
    if (!location.isOpaque()) {
      throw new IllegalArgumentException("a github: source has no '//'; " + FORM);
    }
    String raw = location.getRawSchemeSpecificPart();
    int q = raw.indexOf('?');
    String repository = decode(q < 0 ? raw : raw.substring(0, q));
    Map<String, String> options = options(q < 0 ? "" : raw.substring(q + 1));
    String asset = options.get("asset");
    if (asset == null) {
      throw new IllegalArgumentException("the option asset is missing: name the release asset "
          + "to install; " + FORM);
    }
    GitHubReleaseSource.Builder builder = GitHubReleaseSource.builder(repository).assetName(asset);
    if (options.containsKey("api")) {
      builder.apiBase(URI.create(options.get("api")));
    }
    if (options.containsKey("checksums")) {
      builder.checksumsName(options.get("checksums"));
    }
    if (options.containsKey("max-releases")) {
      String n = options.get("max-releases");
      if (!n.matches("[0-9]{1,3}")) {
        throw new IllegalArgumentException("max-releases must be a number 1..100, was '" + n + "'");
      }
      builder.maxReleases(Integer.parseInt(n));
    }
    if (options.containsKey("token-env")) {
      String name = options.get("token-env");
      String token = request.environment().get(name);
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("token-env names the environment variable " + name
            + ", which is not set; set it to a GitHub token or leave token-env out");
      }
      builder.token(token.strip());
    }
    if (request.trustRoot().isPresent()) {
      throw new IllegalArgumentException("a github: source does not follow key lists from a trust "
          + "root yet; give it the publishing keys (TrustedKeys, --trust) instead");
    }
    request.trustedKeys().ifPresent(builder::trustedKeys);
    return builder.build();
  }

  private static Map<String, String> options(String query) {
    Map<String, String> options = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return options;
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option '" + name + "'; the options are "
            + new java.util.TreeSet<>(OPTIONS));
      }
      if (eq < 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException("the option " + name + " has no value");
      }
      if (options.put(name, decode(pair.substring(eq + 1))) != null) {
        throw new IllegalArgumentException("the option " + name + " is given twice");
      }
    }
    return options;
  }

  /** Percent-decodes {@code text} as UTF-8 ('+' stays '+'). */
  private static String decode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw new IllegalArgumentException("'" + text + "' has an incomplete %-escape");
        }
        int hi = Character.digit(text.charAt(i + 1), 16);
        int lo = Character.digit(text.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("'" + text + "' has an invalid %-escape");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        int cp = text.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp) - 1;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
