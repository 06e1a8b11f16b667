package dev.updater.core.source.github;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One release of the GitHub REST API's releases list ({@code GET /repos/{owner}/{repo}/releases}),
 * with the fields the updater reads. Not API.
 *
 * <p>{@link #parseList} is strict about those fields and ignores every other one (GitHub sends
 * many): the body must be a JSON array of objects; {@code tag_name} a non-empty string; {@code
 * draft} and {@code prerelease} booleans; {@code name}, {@code body} and {@code published_at}
 * strings or null (a draft has no publish time); {@code assets} an array of objects, each with a
 * non-empty {@code name}, a non-negative integer {@code size} and an absolute http(s) {@code
 * browser_download_url}. Duplicate keys and trailing content are refused.
 *
 * <pre>{@code
 * List<GitHubRelease> releases = GitHubRelease.parseList(bytes);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param tag the tag name, such as {@code v1.2.0}
 * @param body the release notes, possibly empty
 * @param draft whether the release is a draft
 * @param prerelease whether GitHub marks it as a pre-release
 * @param publishedAt when it was published, if it was
 * @param assets its files
 */
record GitHubRelease(String tag, String body, boolean draft, boolean prerelease,
    Optional<Instant> publishedAt, List<Asset> assets) {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  public GitHubRelease {
    assets = List.copyOf(assets);
  }

  /**
   * One file attached to a release.
   *
   * @param name the file name
   * @param size its length in bytes
   * @param downloadUrl its {@code browser_download_url}
   */
  public record Asset(String name, long size, String downloadUrl) {}

  /** The asset with exactly this name, if the release has one. */
  public Optional<Asset> asset(String name) {
    return assets.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /**
   * Parses the body of a releases-list answer.
   *
   * @throws VerificationException naming the release (by position and tag) and the field, when
   *     the JSON is malformed or a field the updater reads is missing or of the wrong type
   */
  public static List<GitHubRelease> parseList(byte[] json) throws VerificationException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new VerificationException("the releases list is not valid JSON: "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new VerificationException("the releases list is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new VerificationException("the releases list is not a JSON array");
    }
    List<GitHubRelease> releases = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      releases.add(release(root.get(i), "release #" + (i + 1)));
    }
    return releases;
  }

  private static GitHubRelease release(JsonNode node, String where) throws VerificationException {
    if (!node.isObject()) {
      throw new VerificationException(where + " is not a JSON object");
    }
    String tag = text(node, "tag_name", where).orElseThrow(() -> missing(where, "tag_name"));
    if (tag.isEmpty()) {
      throw new VerificationException(where + ": tag_name is empty");
    }
    String at = where + " (" + tag + ")";
    boolean draft = bool(node, "draft", at);
    boolean prerelease = bool(node, "prerelease", at);
    text(node, "name", at); // checked for its type only
    String body = text(node, "body", at).orElse("");
    Optional<Instant> published;
    try {
      published = text(node, "published_at", at).map(Instant::parse);
    } catch (DateTimeParseException e) {
      throw new VerificationException(at + ": published_at is not an ISO-8601 instant");
    }
    JsonNode assetsNode = node.get("assets");
    if (assetsNode == null || !assetsNode.isArray()) {
      throw new VerificationException(at + ": assets is " + (assetsNode == null ? "missing"
          : "not an array"));
    }
    List<Asset> assets = new ArrayList<>();
    for (int j = 0; j < assetsNode.size(); j++) {
      assets.add(asset(assetsNode.get(j), at + ", asset #" + (j + 1)));
    }
    return new GitHubRelease(tag, body, draft, prerelease, published, assets);
  }

  private static Asset asset(JsonNode node, String where) throws VerificationException {
    if (!node.isObject()) {
      throw new VerificationException(where + " is not a JSON object");
    }
    String name = text(node, "name", where).filter(n -> !n.isEmpty())
        .orElseThrow(() -> missing(where, "name"));
    String at = where + " (" + name + ")";
    JsonNode size = node.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw new VerificationException(at + ": size is missing or not a non-negative integer");
    }
    String url = text(node, "browser_download_url", at)
        .orElseThrow(() -> missing(at, "browser_download_url"));
    checkDownloadUrl(url, at);
    return new Asset(name, size.asLong(), url);
  }

  private static void checkDownloadUrl(String url, String where) throws VerificationException {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new VerificationException(where + ": browser_download_url '" + url
        + "' is not an absolute http(s) URL");
  }

  private static Optional<String> text(JsonNode node, String field, String where)
      throws VerificationException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new VerificationException(where + ": " + field + " is not a string");
    }
    return Optional.of(v.asText());
  }

  private static boolean bool(JsonNode node, String field, String where)
      throws VerificationException {
    JsonNode v = node.get(field);
    if (v == null || !v.isBoolean()) {
      throw new VerificationException(where + ": " + field + " is "
          + (v == null ? "missing" : "not a boolean"));
    }
    return v.booleanValue();
  }

  private static VerificationException missing(String where, String field) {
    return new VerificationException(where + ": " + field + " is missing");
  }
}
