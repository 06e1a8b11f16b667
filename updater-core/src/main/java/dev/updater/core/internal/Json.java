package dev.updater.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Version;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The one strict JSON mapper for the updater's own state files, and field helpers. Not API. */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static void put(ObjectNode node, String field, Optional<?> value) {
    value.ifPresent(v -> node.put(field, v.toString()));
  }

  static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  static Optional<Version> version(JsonNode node, String field) {
    return text(node, field).map(Version::parse);
  }

  static Optional<Instant> instant(JsonNode node, String field) {
    try {
      return text(node, field).map(Instant::parse);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " is not an ISO-8601 instant", e);
    }
  }

  static <E extends Enum<E>> Optional<E> enumValue(JsonNode node, String field, Class<E> type) {
    return text(node, field).map(s -> Enum.valueOf(type, s));
  }
}
