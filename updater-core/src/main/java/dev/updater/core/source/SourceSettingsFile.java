package dev.updater.core.source;

import dev.updater.core.internal.Json;
import dev.updater.core.internal.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The file {@code .updater/source.json}: {@code {"format":1,"source":"https://...","trust":
 * ["/etc/myapp/updater.pub"],"channel":"stable"}}, with {@code "rootThreshold":N} when the
 * trusted keys are root keys, read strictly and written atomically. Not API.
 */
final class SourceSettingsFile {
  private static final int FORMAT = 1;
  private static final long MAX_BYTES = 64 * 1024;

  /** The fields of the file. */
  public record Fields(String source, List<String> trust, Optional<String> channel,
      int rootThreshold) {}

  private SourceSettingsFile() {}

  /**
   * Reads {@code file}, or empty when it does not exist.
   *
   * @throws IOException when it cannot be read, is larger than 64 KiB, or is not the format (the
   *     message names the file and the problem)
   */
  public static Optional<Fields> read(Path file) throws IOException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IOException(file + " is larger than " + MAX_BYTES + " bytes: it is not a "
            + "source settings file");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IOException(file + " does not hold a JSON object");
    }
    JsonNode format = root.get("format");
    if (format == null || !format.isInt() || format.intValue() != FORMAT) {
      throw new IOException(file + " has format " + format + "; this updater reads format "
          + FORMAT);
    }
    JsonNode source = root.get("source");
    if (source == null || !source.isTextual() || source.textValue().isBlank()) {
      throw new IOException(file + " has no 'source' text");
    }
    List<String> trust = new ArrayList<>();
    JsonNode t = root.get("trust");
    if (t != null) {
      if (!t.isArray()) {
        throw new IOException(file + ": 'trust' must be an array of key file paths");
      }
      for (JsonNode k : t) {
        if (!k.isTextual() || k.textValue().isBlank()) {
          throw new IOException(file + ": 'trust' must hold key file paths, found " + k);
        }
        trust.add(k.textValue());
      }
    }
    JsonNode channel = root.get("channel");
    if (channel != null && !channel.isTextual()) {
      throw new IOException(file + ": 'channel' must be text");
    }
    JsonNode root2 = root.get("rootThreshold");
    if (root2 != null && (!root2.isInt() || root2.intValue() < 1)) {
      throw new IOException(file + ": 'rootThreshold' must be a positive integer");
    }
    return Optional.of(new Fields(source.textValue(), trust,
        Optional.ofNullable(channel).map(JsonNode::textValue),
        root2 == null ? 0 : root2.intValue()));
  }

  /** Replaces {@code file} with {@code fields}, atomically; creates its directory if needed. */
  public static void write(Path file, Fields fields) throws IOException {
    ObjectNode root = Json.object();
    root.put("format", FORMAT);
    root.put("source", fields.source());
    ArrayNode trust = root.putArray("trust");
    fields.trust().forEach(trust::add);
    fields.channel().ifPresent(c -> root.put("channel", c));
    if (fields.rootThreshold() > 0) {
      root.put("rootThreshold", fields.rootThreshold());
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.write(file, (Json.MAPPER.writeValueAsString(root) + "\n")
        .getBytes(StandardCharsets.UTF_8));
  }
}
