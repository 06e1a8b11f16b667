package dev.updater.core.trust;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One version of a repository's signed list of keys, {@code keys/<version>.json}: the root keys
 * (kept offline; they sign the next key list), the publishing keys (they sign channel indexes)
 * and optionally the timestamp key (an online key that re-signs an index's short-lived
 * timestamp). Each role has a threshold: how many distinct keys of it must sign. A key left out
 * of the next list is revoked: installs refuse its signatures from then on.
 *
 * <pre>{@code
 * KeyList first = KeyList.first(
 *     KeyList.Role.of(1, rootKey.publicKeyText()),
 *     KeyList.Role.of(1, releaseKey.publicKeyText()));
 * KeyList next = first.next(first.root(), KeyList.Role.of(1, newReleaseKey.publicKeyText()));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param version the list's number, from 1; it is also its file name
 * @param expires when the list stops being valid, if it says: an install refuses every index
 *     once the newest list it found has expired
 * @param root the keys that sign the next key list
 * @param publishing the keys that sign channel indexes
 * @param timestamp the keys that sign an index's timestamp; when present, every index must carry
 *     an unexpired timestamp
 */
public record KeyList(int version, Optional<Instant> expires, Role root, Role publishing,
    Optional<Role> timestamp) {
  /** The {@code format} number written and accepted. */
  public static final int FORMAT = 1;
  /** The largest key list file accepted, 64 KiB. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();
  private static final Set<String> FIELDS =
      Set.of("format", "version", "expires", "root", "publishing", "timestamp");

  public KeyList {
    if (version < 1) {
      throw new IllegalArgumentException("a key list version starts at 1, was " + version);
    }
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(publishing, "publishing");
    Objects.requireNonNull(timestamp, "timestamp");
    if (timestamp.isPresent() && timestamp.get().threshold() != 1) {
      throw new IllegalArgumentException("the timestamp role's threshold must be 1: one online "
          + "key signs a timestamp, was " + timestamp.get().threshold());
    }
  }

  /** Key list 1, without expiry and without a timestamp key. */
  public static KeyList first(Role root, Role publishing) {
    return new KeyList(1, Optional.empty(), root, publishing, Optional.empty());
  }

  /** The list after this one: version + 1, with these roles, the same expiry and timestamp. */
  public KeyList next(Role root, Role publishing) {
    return new KeyList(version + 1, expires, root, publishing, timestamp);
  }

  /** This list with {@code expires} as its expiry. */
  public KeyList withExpires(Instant expires) {
    return new KeyList(version, Optional.of(expires), root, publishing, timestamp);
  }

  /** This list with {@code timestamp} as its timestamp role (empty: none). */
  public KeyList withTimestamp(Optional<Role> timestamp) {
    return new KeyList(version, expires, root, publishing, timestamp);
  }

  /** The file of this list in a repository: {@code keys/<version>.json}. */
  public static String path(int version) {
    return "keys/" + version + ".json";
  }

  /** The signature of {@code file} by the key {@code keyId}: {@code <file>.<KEYID>.minisig}. */
  public static String signaturePath(String file, String keyId) {
    return file + "." + keyId + ".minisig";
  }

  /** The list as the JSON a repository holds, UTF-8. */
  public byte[] toJson() {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("format", FORMAT);
    node.put("version", version);
    expires.ifPresent(e -> node.put("expires", e.toString()));
    root.write(node.putObject("root"));
    publishing.write(node.putObject("publishing"));
    timestamp.ifPresent(t -> t.write(node.putObject("timestamp")));
    try {
      byte[] json = MAPPER.writeValueAsBytes(node);
      byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
      line[json.length] = '\n';
      return line;
    } catch (IOException e) {
      throw new IllegalStateException("a key list always renders", e);
    }
  }

  /**
   * Reads a key list strictly: known fields only, {@code format} 1, thresholds within the keys.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static KeyList parse(byte[] json) {
    Objects.requireNonNull(json, "json");
    if (json.length > MAX_BYTES) {
      throw new IllegalArgumentException("it is " + json.length + " bytes, more than the "
          + MAX_BYTES + " a key list may have");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("it is not valid JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("it is not a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("it has the unknown field '" + name + "'");
      }
    }
    if (integer(node, "format") != FORMAT) {
      throw new IllegalArgumentException("its format is " + node.get("format") + "; this "
          + "version reads format " + FORMAT + ": update the updater");
    }
    Optional<Instant> expires = Optional.empty();
    if (node.has("expires")) {
      JsonNode e = node.get("expires");
      try {
        expires = Optional.of(Instant.parse(e.isTextual() ? e.textValue() : ""));
      } catch (DateTimeParseException ex) {
        throw new IllegalArgumentException("expires " + e + " is not a UTC time such as "
            + "2027-01-31T00:00:00Z", ex);
      }
    }
    Optional<Role> timestamp = node.has("timestamp")
        ? Optional.of(Role.read(node.get("timestamp"), "timestamp")) : Optional.empty();
    return new KeyList(integer(node, "version"), expires, Role.read(node.get("root"), "root"),
        Role.read(node.get("publishing"), "publishing"), timestamp);
  }

  private static int integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isInt() || value.intValue() < 1) {
      throw new IllegalArgumentException("'" + field + "' must be a positive integer, was "
          + value);
    }
    return value.intValue();
  }

  /**
   * The keys of one role and how many of them must sign.
   *
   * @param threshold how many distinct keys must sign, from 1 to the number of keys
   * @param keys the minisign public keys, each its base64 line ({@code RWQ...})
   */
  public record Role(int threshold, List<String> keys) {

    public Role {
      List<String> lines = new ArrayList<>();
      for (String key : Objects.requireNonNull(keys, "keys")) {
        String[] parts = Objects.requireNonNull(key, "key").strip().split("\n");
        lines.add(parts[parts.length - 1].strip());
      }
      keys = List.copyOf(lines);
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("a role needs at least one key");
      }
      TrustedKeys.parse(keys); // refuses malformed and repeated keys
      if (threshold < 1 || threshold > keys.size()) {
        throw new IllegalArgumentException("the threshold must be between 1 and the number of "
            + "keys (" + keys.size() + "), was " + threshold);
      }
    }

    /** The role of {@code keys} (minisign public key texts, a {@code .pub} file's content). */
    public static Role of(int threshold, String... keys) {
      return new Role(threshold, List.of(keys));
    }

    /** The keys, for verifying. */
    public TrustedKeys trustedKeys() {
      return TrustedKeys.parse(keys);
    }

    /** The ids of the keys, sorted. */
    public List<String> keyIds() {
      return trustedKeys().keyIds();
    }

    private void write(ObjectNode node) {
      node.put("threshold", threshold);
      ArrayNode array = node.putArray("keys");
      keys.forEach(array::add);
    }

    private static Role read(JsonNode node, String name) {
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("'" + name + "' must be an object with 'threshold' "
            + "and 'keys'");
      }
      JsonNode keys = node.get("keys");
      if (node.size() != 2 || keys == null || !keys.isArray()) {
        throw new IllegalArgumentException("'" + name + "' must have exactly 'threshold' and "
            + "'keys' (an array of public keys)");
      }
      List<String> lines = new ArrayList<>();
      for (JsonNode k : keys) {
        if (!k.isTextual()) {
          throw new IllegalArgumentException("'" + name + ".keys' must hold strings");
        }
        lines.add(k.textValue());
      }
      try {
        return new Role(integer(node, "threshold"), lines);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + name + "': " + e.getMessage(), e);
      }
    }
  }
}
