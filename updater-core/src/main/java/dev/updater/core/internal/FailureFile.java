package dev.updater.core.internal;

import dev.updater.core.internal.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure of the last operation, {@code .updater/failure.json}: what {@code status()} shows as
 * the error until the next successful operation or {@code clearError()}. Kept apart from the
 * journal so that a failed operation leaves the journal exactly as it was. Not API.
 */
final class FailureFile {
  private static final Logger LOG = LoggerFactory.getLogger(FailureFile.class);

  private final Path file;

  FailureFile(Path file) {
    this.file = file;
  }

  /** The recorded failure; an unreadable file reads as none, with a warning. */
  Optional<UpdateStatus.Failure> read() {
    return readNode().flatMap(this::failure);
  }

  /**
   * True when the recorded failure left no release known to work ({@link #writeOperatorNeeded}):
   * the updater stays stopped until an operation succeeds or the record is cleared.
   */
  boolean operatorNeeded() {
    return readNode().map(n -> n.path("operatorNeeded").asBoolean(false)).orElse(false)
        && read().isPresent();
  }

  private Optional<JsonNode> readNode() {
    try {
      return Optional.of(Json.MAPPER.readTree(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring the unreadable failure record {}: {}", file, e.toString());
      return Optional.empty();
    }
  }

  private Optional<UpdateStatus.Failure> failure(JsonNode n) {
    try {
      return Optional.of(new UpdateStatus.Failure(
          Json.enumValue(n, "reason", UpdateException.Reason.class).orElseThrow(),
          Json.enumValue(n, "step", Step.class),
          Json.text(n, "message").orElse(""),
          Json.instant(n, "at").orElseThrow()));
    } catch (RuntimeException e) {
      LOG.warn("Ignoring the unreadable failure record {}: {}", file, e.toString());
      return Optional.empty();
    }
  }

  void write(UpdateStatus.Failure failure) throws IOException {
    write(failure, false);
  }

  /** Records {@code failure} as one that left no release known to work. */
  void writeOperatorNeeded(UpdateStatus.Failure failure) throws IOException {
    write(failure, true);
  }

  private void write(UpdateStatus.Failure failure, boolean operatorNeeded) throws IOException {
    ObjectNode n = Json.object();
    if (operatorNeeded) {
      n.put("operatorNeeded", true);
    }
    n.put("reason", failure.reason().name());
    Json.put(n, "step", failure.step());
    n.put("message", failure.message());
    n.put("at", failure.at().toString());
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
  }

  void clear() throws IOException {
    if (Files.deleteIfExists(file)) {
      AtomicFiles.syncDirectory(file.getParent());
    }
  }
}
