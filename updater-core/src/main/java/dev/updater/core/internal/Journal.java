package dev.updater.core.internal;

import dev.updater.core.internal.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Step;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateStatus.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The state journal, {@code .updater/journal.json}: one {@link JournalRecord}, replaced atomically
 * (temp file, fsync, rename, fsync directory) at every step, so that after a crash the next process
 * reads either the record before the step or the record after it. Not API.
 */
final class Journal {
  /** Journals are a few hundred bytes; anything much larger is damage, not a journal. */
  private static final long MAX_BYTES = 64 * 1024;

  private final Path file;

  Journal(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /**
   * Reads the record; an install that never ran an update has none.
   *
   * @throws CorruptJournalException when the file exists but is not a valid journal
   */
  Optional<JournalRecord> read() throws IOException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new CorruptJournalException(file + " is larger than " + MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode(Json.MAPPER.readTree(bytes)));
    } catch (IOException | RuntimeException e) {
      throw new CorruptJournalException(file + " is not a valid journal: " + e.getMessage(), e);
    }
  }

  /** The journal's exact bytes, or empty when there is no journal; to restore after a failure. */
  Optional<byte[]> readRaw() throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Puts back bytes from {@link #readRaw()} atomically, or removes the journal when there were none. */
  void restoreRaw(Optional<byte[]> bytes) throws IOException {
    if (bytes.isPresent()) {
      AtomicFiles.write(file, bytes.get());
    } else if (Files.deleteIfExists(file)) {
      AtomicFiles.syncDirectory(file.getParent());
    }
  }

  /** Replaces the record atomically. */
  void write(JournalRecord record) throws IOException {
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(encode(record)));
  }

  private static ObjectNode encode(JournalRecord r) {
    ObjectNode n = Json.object();
    n.put("schema", JournalRecord.SCHEMA);
    n.put("state", r.state().name());
    Json.put(n, "operation", r.operation());
    Json.put(n, "step", r.step());
    Json.put(n, "from", r.from());
    Json.put(n, "to", r.to());
    Json.put(n, "previous", r.previous());
    n.put("activation", r.activation());
    n.put("published", r.published());
    Json.put(n, "staging", r.staging());
    Json.put(n, "confirmBy", r.confirmBy().map(Instant::toString));
    if (r.confirmBy().isPresent()) {
      n.put("starts", r.starts());
    }
    n.put("updatedAt", r.updatedAt().toString());
    return n;
  }

  private static JournalRecord decode(JsonNode n) throws CorruptJournalException {
    if (!n.isObject()) {
      throw new CorruptJournalException("the journal is not a JSON object");
    }
    int schema = n.path("schema").asInt(-1);
    if (schema != JournalRecord.SCHEMA) {
      throw new CorruptJournalException("unknown journal schema " + n.get("schema")
          + "; this library reads schema " + JournalRecord.SCHEMA);
    }
    return new JournalRecord(
        Json.enumValue(n, "state", State.class).orElseThrow(),
        Json.enumValue(n, "operation", Operation.class),
        Json.enumValue(n, "step", Step.class),
        Json.version(n, "from"),
        Json.version(n, "to"),
        Json.version(n, "previous"),
        requireBoolean(n, "activation"),
        requireBoolean(n, "published"),
        Json.text(n, "staging"),
        Json.instant(n, "confirmBy"),
        Math.max(0, n.path("starts").asInt(0)),
        Json.instant(n, "updatedAt").orElse(Instant.EPOCH));
  }

  private static boolean requireBoolean(JsonNode n, String field) throws CorruptJournalException {
    JsonNode v = n.get(field);
    if (v == null || !v.isBoolean()) {
      throw new CorruptJournalException("field '" + field + "' is missing or not a boolean");
    }
    return v.booleanValue();
  }

  /** The journal file exists but cannot be trusted. */
  static final class CorruptJournalException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptJournalException(String message) {
      super(message);
    }

    CorruptJournalException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
