package dev.updater.core.internal.format;

import static dev.updater.core.internal.format.IndexFields.at;
import static dev.updater.core.internal.format.IndexFields.describe;
import static dev.updater.core.internal.format.IndexFields.locationOf;
import static dev.updater.core.internal.format.IndexFields.mistyped;
import static dev.updater.core.internal.format.IndexFields.nonEmptyText;
import static dev.updater.core.internal.format.IndexFields.nonNegativeLong;
import static dev.updater.core.internal.format.IndexFields.optionalInstant;
import static dev.updater.core.internal.format.IndexFields.pathOf;
import static dev.updater.core.internal.format.IndexFields.quote;
import static dev.updater.core.internal.format.IndexFields.required;
import static dev.updater.core.internal.format.IndexFields.text;
import static dev.updater.core.internal.format.IndexFields.version;
import static dev.updater.core.internal.format.IndexFields.wellFormed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Artifact;
import dev.updater.core.Platform;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Requirements;
import dev.updater.core.Version;
import dev.updater.core.spi.VerificationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and writes the JSON index of one channel of an update repository (the format is described
 * in {@code docs/repository.md}). Not API: the release sources, the trust state and the repository
 * writer call it; {@link IndexFields} reads the single fields.
 *
 * <p>Reading is strict, because the index is security metadata and must mean the same thing to
 * every parser that looks at it: the bytes must be UTF-8 without a byte-order mark, hold exactly one
 * JSON object and nothing after it, repeat no key in any object, and give every field the JSON type
 * it has here (a number is never accepted as a string or the other way round; integers are written
 * without fraction or exponent and lie in {@code 0 .. 2^63-1}). Fields this version does not know
 * are ignored at every level, so that newer publishers can add some. Every value is mapped by hand
 * from the parsed tree; nothing is read back from a re-serialised form.
 *
 * <pre>{@code
 * ReleaseIndex index = MetadataJson.read(Files.readAllBytes(file)); // after checking the size
 * byte[] bytes = MetadataJson.write(index);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class MetadataJson {

  /**
   * The largest index accepted, 4 MiB: room for thousands of releases with notes, small enough to
   * hold in memory. A caller reads at most this many bytes (plus one, to detect more) and
   * {@link #read} refuses anything longer.
   */
  public static final int MAX_INDEX_BYTES = 4 * 1024 * 1024;

  private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .build();

  private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter(
      Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEmptySeparator("")
          .withArrayEmptySeparator(""))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private MetadataJson() {}

  /**
   * True when {@code name} can name a channel: an ASCII letter or digit, then letters, digits,
   * {@code .}, {@code _} or {@code -}. Such a name is also a safe file name.
   */
  public static boolean isChannelName(String name) {
    return CHANNEL_NAME.matcher(name).matches();
  }

  /**
   * Parses an index.
   *
   * @param json the exact bytes of the index, at most {@link #MAX_INDEX_BYTES}
   * @throws VerificationException when the bytes are not a valid index; the message names the
   *     JSON path of the offending value and what is wrong with it, such as {@code
   *     releases[1].artifacts[0].sha256 is missing}
   */
  public static ReleaseIndex read(byte[] json) throws VerificationException {
    Objects.requireNonNull(json, "json");
    JsonNode root = parse(json);
    if (!root.isObject()) {
      throw new VerificationException("the index must be a JSON object, found " + describe(root));
    }
    String application = nonEmptyText(root, "", "application");
    String channel = channelName(root, "", "channel");
    long serial = nonNegativeLong(root, "", "serial");
    Optional<Instant> expires = optionalInstant(root, "", "expires");
    JsonNode releasesNode = required(root, "", "releases");
    if (!releasesNode.isArray()) {
      throw mistyped("releases", "an array", releasesNode);
    }
    List<Release> releases = new ArrayList<>();
    Map<Version, Integer> seen = new HashMap<>();
    for (int i = 0; i < releasesNode.size(); i++) {
      String path = "releases[" + i + "]";
      Release release = release(releasesNode.get(i), path, channel);
      Integer earlier = seen.putIfAbsent(release.version(), i);
      if (earlier != null) {
        throw new VerificationException(path + ".version '" + release.version()
            + "' is listed twice, also at releases[" + earlier + "]");
      }
      releases.add(release);
    }
    return new ReleaseIndex(application, channel, serial, expires, releases,
        IndexFields.revocations(root));
  }

  /**
   * Renders {@code index} as pretty-printed UTF-8 JSON with a fixed field order, ending in a line
   * feed. Equal indexes give identical bytes, and {@link #read} gives back an equal index.
   *
   * @throws IllegalArgumentException when {@link #read} would refuse the result, for example for a
   *     channel name that is not a safe file name or a version listed twice
   */
  public static byte[] write(ReleaseIndex index) {
    byte[] bytes = render(index);
    try {
      read(bytes);
    } catch (VerificationException e) {
      throw new IllegalArgumentException("the index cannot be written, it would not read back: "
          + e.getMessage(), e);
    }
    return bytes;
  }

  /**
   * The canonical form of {@code index}: the bytes {@link #write} gives, without checking that they
   * read back. Equal indexes render the same bytes, whatever formatting a repository served them
   * in (field order, spacing, escapes, unknown fields); the trust state
   * hashes this form to tell whether an index at a serial it has seen changed.
   */
  public static byte[] render(ReleaseIndex index) {
    Objects.requireNonNull(index, "index");
    ObjectNode root = MAPPER.createObjectNode();
    root.put("application", index.application());
    root.put("channel", index.channel());
    root.put("serial", index.serial());
    index.expires().ifPresent(t -> root.put("expires", t.toString()));
    ArrayNode releases = root.putArray("releases");
    for (Release release : index.releases()) {
      ObjectNode r = releases.addObject();
      r.put("version", release.version().toString());
      r.put("channel", release.channel());
      release.publishedAt().ifPresent(t -> r.put("publishedAt", t.toString()));
      if (!release.notes().isEmpty()) {
        r.put("notes", release.notes());
      }
      if (release.rollout() != Release.FULL_ROLLOUT) {
        r.put("rollout", release.rollout());
      }
      Requirements requires = release.requirements();
      if (!requires.equals(Requirements.NONE)) {
        ObjectNode q = r.putObject("requires");
        if (!requires.databaseProviders().isEmpty()) {
          ArrayNode providers = q.putArray("databaseProviders");
          new TreeSet<>(requires.databaseProviders()).forEach(providers::add);
        }
        requires.upgradesFrom().ifPresent(v -> q.put("upgradesFrom", v.toString()));
      }
      ArrayNode artifacts = r.putArray("artifacts");
      for (Artifact artifact : release.artifacts()) {
        ObjectNode a = artifacts.addObject()
            .put("name", artifact.name())
            .put("size", artifact.size())
            .put("sha256", artifact.sha256())
            .put("url", artifact.location());
        artifact.platform().ifPresent(p -> a.put("platform", p.toString()));
      }
      release.manifest().ifPresent(m -> r.putObject("manifest")
          .put("name", m.name())
          .put("size", m.size())
          .put("sha256", m.sha256())
          .put("url", m.location()));
    }
    IndexFields.putRevocations(root, index.revoked());
    try {
      return (WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the index cannot be rendered as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing

  private static JsonNode parse(byte[] json) throws VerificationException {
    if (json.length > MAX_INDEX_BYTES) {
      throw new VerificationException("the index is " + json.length + " bytes, more than the "
          + MAX_INDEX_BYTES + " accepted");
    }
    if (json.length >= 3 && (json[0] & 0xff) == 0xEF && (json[1] & 0xff) == 0xBB
        && (json[2] & 0xff) == 0xBF) {
      throw new VerificationException("the index starts with a UTF-8 byte-order mark; "
          + "it must be plain UTF-8 JSON without one");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json))
          .toString();
    } catch (CharacterCodingException e) {
      throw new VerificationException("the index is not valid UTF-8: " + e.getMessage(), e);
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      String where = pathOf(e);
      throw new VerificationException((where.isEmpty() ? "" : where + ": ")
          + "the index is not valid strict JSON: " + e.getOriginalMessage() + locationOf(e), e);
    }
  }

  private static Release release(JsonNode node, String path, String indexChannel)
      throws VerificationException {
    if (!node.isObject()) {
      throw mistyped(path, "an object", node);
    }
    Version version = version(node, path, "version");
    String channel = node.has("channel") ? channelName(node, path, "channel") : indexChannel;
    Optional<Instant> publishedAt = optionalInstant(node, path, "publishedAt");
    String notes = node.has("notes") ? text(node, path, "notes") : "";
    int rollout = node.has("rollout") ? percentage(node, path, "rollout") : Release.FULL_ROLLOUT;
    Requirements requires = node.has("requires")
        ? requirements(node.get("requires"), at(path, "requires"))
        : Requirements.NONE;
    Optional<Artifact> manifest = node.has("manifest")
        ? Optional.of(artifact(node.get("manifest"), at(path, "manifest")))
        : Optional.empty();
    JsonNode artifactsNode = required(node, path, "artifacts");
    String artifactsPath = at(path, "artifacts");
    if (!artifactsNode.isArray()) {
      throw mistyped(artifactsPath, "an array", artifactsNode);
    }
    if (artifactsNode.isEmpty()) {
      throw new VerificationException(artifactsPath + " must list at least one artifact");
    }
    List<Artifact> artifacts = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < artifactsNode.size(); i++) {
      String artifactPath = artifactsPath + "[" + i + "]";
      Artifact artifact = artifact(artifactsNode.get(i), artifactPath);
      Integer earlier = names.putIfAbsent(artifact.name(), i);
      if (earlier != null) {
        throw new VerificationException(artifactPath + ".name " + quote(artifact.name())
            + " is listed twice, also at " + artifactsPath + "[" + earlier + "]");
      }
      artifacts.add(artifact);
    }
    try {
      return new Release(version, channel, artifacts, requires, notes, publishedAt, rollout,
          manifest);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(path + ": " + e.getMessage(), e);
    }
  }

  private static Requirements requirements(JsonNode node, String path)
      throws VerificationException {
    if (!node.isObject()) {
      throw mistyped(path, "an object", node);
    }
    Set<String> providers = new LinkedHashSet<>();
    if (node.has("databaseProviders")) {
      String listPath = at(path, "databaseProviders");
      JsonNode list = node.get("databaseProviders");
      if (!list.isArray()) {
        throw mistyped(listPath, "an array of strings", list);
      }
      for (int i = 0; i < list.size(); i++) {
        String itemPath = listPath + "[" + i + "]";
        JsonNode item = list.get(i);
        if (!item.isTextual()) {
          throw mistyped(itemPath, "a string", item);
        }
        String provider = wellFormed(itemPath, item.textValue());
        if (provider.isEmpty()) {
          throw new VerificationException(itemPath + " must not be empty");
        }
        providers.add(provider);
      }
    }
    Optional<Version> upgradesFrom = node.has("upgradesFrom")
        ? Optional.of(version(node, path, "upgradesFrom"))
        : Optional.empty();
    return new Requirements(providers, upgradesFrom);
  }

  private static Artifact artifact(JsonNode node, String path) throws VerificationException {
    if (!node.isObject()) {
      throw mistyped(path, "an object", node);
    }
    String name = nonEmptyText(node, path, "name");
    if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
        || name.indexOf('\0') >= 0) {
      throw new VerificationException(at(path, "name") + " " + quote(name)
          + " must be a single file name without path separators");
    }
    long size = nonNegativeLong(node, path, "size");
    String sha256 = text(node, path, "sha256");
    if (!SHA256.matcher(sha256).matches()) {
      throw new VerificationException(at(path, "sha256") + " must be 64 hexadecimal characters, "
          + "found " + quote(sha256));
    }
    String url = nonEmptyText(node, path, "url");
    try {
      Artifact artifact = new Artifact(name, size, sha256, url);
      return node.has("platform") // absent in metadata written before platforms
          ? artifact.withPlatform(Platform.parse(nonEmptyText(node, path, "platform"))) : artifact;
    } catch (IllegalArgumentException e) {
      throw new VerificationException(path + ": " + e.getMessage(), e);
    }
  }

  private static int percentage(JsonNode parent, String path, String field)
      throws VerificationException {
    JsonNode node = required(parent, path, field);
    if (node.isInt() && node.intValue() >= 0 && node.intValue() <= Release.FULL_ROLLOUT) {
      return node.intValue();
    }
    throw new VerificationException(at(path, field)
        + " must be an integer percentage from 0 to 100, found " + describe(node));
  }

  private static String channelName(JsonNode parent, String path, String field)
      throws VerificationException {
    String name = text(parent, path, field);
    if (!isChannelName(name)) {
      throw new VerificationException(at(path, field) + " " + quote(name)
          + " is not a channel name (a letter or digit, then letters, digits, '.', '_' or '-')");
    }
    return name;
  }


}
