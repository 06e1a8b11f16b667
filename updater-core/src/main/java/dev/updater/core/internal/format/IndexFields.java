package dev.updater.core.internal.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Revocation;
import dev.updater.core.Version;
import dev.updater.core.spi.VerificationException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * The strict reading of single fields of a parsed index for {@link MetadataJson}: each value must
 * be present (when required) and of its JSON type, and every refusal names the JSON path of the
 * value, such as {@code releases[1].artifacts[0].sha256}, and what was found there.
 *
 * <p>Stateless and thread-safe.
 */
final class IndexFields {
  private static final int QUOTE_LIMIT = 80;

  private IndexFields() {}

  static Version version(JsonNode parent, String path, String field)
      throws VerificationException {
    String text = text(parent, path, field);
    try {
      return Version.parse(text);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(at(path, field) + " " + e.getMessage(), e);
    }
  }

  /**
   * The optional {@code revoked} array of an index: the versions its publisher withdrew, each
   * {@code {"version", "reason", "revokedAt"}}. An index without the field revokes nothing.
   */
  static List<Revocation> revocations(JsonNode root) throws VerificationException {
    if (!root.has("revoked")) {
      return List.of();
    }
    JsonNode array = root.get("revoked");
    if (!array.isArray()) {
      throw mistyped("revoked", "an array", array);
    }
    List<Revocation> revoked = new ArrayList<>();
    Set<Version> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String path = "revoked[" + i + "]";
      JsonNode node = array.get(i);
      if (!node.isObject()) {
        throw mistyped(path, "an object", node);
      }
      Version version = version(node, path, "version");
      if (!seen.add(version)) {
        throw new VerificationException(path + ".version '" + version + "' is revoked twice");
      }
      String reason = nonEmptyText(node, path, "reason");
      if (reason.isBlank()) {
        throw new VerificationException(at(path, "reason") + " must not be blank");
      }
      Instant at = optionalInstant(node, path, "revokedAt").orElseThrow(
          () -> new VerificationException(at(path, "revokedAt") + " is missing"));
      revoked.add(new Revocation(version, reason, at));
    }
    return revoked;
  }

  /** Adds {@code revoked} to {@code root} as {@link #revocations} reads it; nothing when empty. */
  static void putRevocations(ObjectNode root, List<Revocation> revoked) {
    if (revoked.isEmpty()) {
      return;
    }
    ArrayNode array = root.putArray("revoked");
    revoked.stream().sorted(Comparator.comparing(Revocation::version)).forEach(r ->
        array.addObject().put("version", r.version().toString()).put("reason", r.reason())
            .put("revokedAt", r.revokedAt().toString()));
  }

  static Optional<Instant> optionalInstant(JsonNode parent, String path, String field)
      throws VerificationException {
    if (!parent.has(field)) {
      return Optional.empty();
    }
    String text = text(parent, path, field);
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw new VerificationException(at(path, field) + " " + quote(text)
          + " is not an ISO-8601 instant such as 2026-12-01T00:00:00Z", e);
    }
  }

  static long nonNegativeLong(JsonNode parent, String path, String field)
      throws VerificationException {
    JsonNode node = required(parent, path, field);
    if (node.isInt() || node.isLong()) {
      long value = node.longValue();
      if (value >= 0) {
        return value;
      }
    }
    throw new VerificationException(at(path, field)
        + " must be a non-negative integer below 2^63, found " + describe(node));
  }

  static String nonEmptyText(JsonNode parent, String path, String field)
      throws VerificationException {
    String text = text(parent, path, field);
    if (text.isEmpty()) {
      throw new VerificationException(at(path, field) + " must not be empty");
    }
    return text;
  }

  static String text(JsonNode parent, String path, String field)
      throws VerificationException {
    JsonNode node = required(parent, path, field);
    if (!node.isTextual()) {
      throw mistyped(at(path, field), "a string", node);
    }
    return wellFormed(at(path, field), node.textValue());
  }

  /** Refuses lone surrogates, which a JSON escape ({@code "\ud800"}) can smuggle into a string. */
  static String wellFormed(String path, String text) throws VerificationException {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        throw new VerificationException(path + " holds an unpaired UTF-16 surrogate \\u"
            + Integer.toHexString(ch) + " at index " + i);
      }
    }
    return text;
  }

  static JsonNode required(JsonNode parent, String path, String field)
      throws VerificationException {
    JsonNode node = parent.get(field);
    if (node == null) {
      throw new VerificationException(at(path, field) + " is missing");
    }
    return node;
  }

  static String at(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  static VerificationException mistyped(String path, String expected, JsonNode found) {
    return new VerificationException(path + " must be " + expected + ", found " + describe(found));
  }

  static String describe(JsonNode node) {
    switch (node.getNodeType()) {
      case NULL:
        return "null";
      case STRING:
        return "the string " + quote(node.textValue());
      case BOOLEAN:
        return "the boolean " + node.booleanValue();
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case MISSING:
        return "no JSON value at all";
      case NUMBER:
        if (node.isInt() || node.isLong()) {
          return "the integer " + node.longValue();
        }
        if (node.isIntegralNumber()) {
          return "the integer " + node.bigIntegerValue() + ", outside the 64-bit range";
        }
        return "a number with a fraction or an exponent (" + node.asText() + ")";
      default:
        return "a " + node.getNodeType().toString().toLowerCase(Locale.ROOT) + " value";
    }
  }

  static String quote(String text) {
    String shown = text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
    return "'" + shown + "'";
  }

  /** The path, in this class's notation, of the value a parse error happened in. */
  static String pathOf(JsonProcessingException e) {
    if (!(e.getProcessor() instanceof JsonParser)) {
      return "";
    }
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = ((JsonParser) e.getProcessor()).getParsingContext();
        c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
      } else if (c.getCurrentName() != null) {
        parts.push("." + c.getCurrentName());
      }
    }
    String path = String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
            + ")";
  }
}
