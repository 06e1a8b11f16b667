package dev.updater.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.HistoryEntry;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history file, {@code .updater/history.jsonl}: one JSON object per line, appended and forced
 * to disk per entry. A line torn by a crash is skipped on reading. Not API.
 */
final class History {
  private static final Logger LOG = LoggerFactory.getLogger(History.class);

  private final Path file;
  private final Runnable afterAppend;

  History(Path file) {
    this(file, () -> { });
  }

  /** A history that runs {@code afterAppend} once each entry is on disk (or failed to be). */
  History(Path file, Runnable afterAppend) {
    this.file = file;
    this.afterAppend = afterAppend;
  }

  Path file() {
    return file;
  }

  /** Appends {@code entry}; a failure is logged, since the journal, not the history, is authority. */
  void append(HistoryEntry entry) {
    ObjectNode n = Json.object();
    n.put("at", entry.at().toString());
    n.put("operation", entry.operation().name());
    Json.put(n, "from", entry.from());
    Json.put(n, "to", entry.to());
    n.put("outcome", entry.outcome().name());
    Json.put(n, "reason", entry.reason());
    n.put("message", entry.message());
    try {
      Files.createDirectories(file.getParent());
      byte[] line = (Json.MAPPER.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
    } catch (IOException e) {
      LOG.warn("Could not append to the update history {}: {}", file, e.toString());
    }
    afterAppend.run();
  }

  /** Every readable entry, oldest first. */
  List<HistoryEntry> read() throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<HistoryEntry> entries = new ArrayList<>(lines.size());
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode n = Json.MAPPER.readTree(line);
        entries.add(new HistoryEntry(
            Json.instant(n, "at").orElseThrow(),
            Json.enumValue(n, "operation", Operation.class).orElseThrow(),
            Json.version(n, "from"),
            Json.version(n, "to"),
            Json.enumValue(n, "outcome", HistoryEntry.Outcome.class).orElseThrow(),
            Json.enumValue(n, "reason", UpdateException.Reason.class),
            Json.text(n, "message").orElse("")));
      } catch (IOException | RuntimeException e) {
        LOG.warn("Skipping an unreadable line of the update history {}: {}", file, e.toString());
      }
    }
    return entries;
  }
}
