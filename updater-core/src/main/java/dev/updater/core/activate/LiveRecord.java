package dev.updater.core.activate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Version;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.spi.InvalidLayoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The record of {@link SingleFileActivator}: the target's path, the live version, the version a
 * switch is going to (present only while one runs, or after a process was killed in one), and
 * whether the first switch kept a file that was there before. Written atomically.
 *
 * <p>Stateless apart from its path; callers serialise writes (the update lock).
 */
final class LiveRecord {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One record's content. */
  record State(String target, Optional<Version> live, Optional<Version> switching,
      boolean adopted) {}

  private final Path file;

  LiveRecord(Path file) {
    this.file = file;
  }

  Optional<State> read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      JsonNode target = n.get("target");
      if (target == null || !target.isTextual()) {
        throw new IOException("no text field 'target'");
      }
      return Optional.of(new State(target.asText(), version(n, "live"), version(n, "switching"),
          n.path("adopted").asBoolean(false)));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidLayoutException(file + " is not a valid single-file record (" + e.getMessage()
          + "); it names the live file and its version. Restore it, or delete it and install "
          + "again with the target given");
    }
  }

  void write(State state) throws IOException {
    ObjectNode n = JSON.createObjectNode().put("target", state.target());
    state.live().ifPresent(v -> n.put("live", v.toString()));
    state.switching().ifPresent(v -> n.put("switching", v.toString()));
    n.put("adopted", state.adopted());
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<Version> version(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(Version.parse(v.asText()));
  }
}
