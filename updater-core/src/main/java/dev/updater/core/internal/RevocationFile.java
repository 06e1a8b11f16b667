package dev.updater.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Revocation;
import dev.updater.core.Version;
import dev.updater.core.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocations of the channel as the last check read them from its signed index, {@code
 * .updater/revoked.json}: what {@code status()} shows about the live release without reading the
 * source. Written only when the list changes. Not API.
 *
 * <p>Thread-safe as far as the file system makes one atomic write.
 */
final class RevocationFile {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationFile.class);

  private final Path file;

  RevocationFile(Path file) {
    this.file = file;
  }

  /** The remembered revocations; an unreadable file reads as none, with a warning. */
  List<Revocation> read() {
    try {
      JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
      List<Revocation> revoked = new ArrayList<>();
      for (JsonNode n : root.path("revoked")) {
        revoked.add(new Revocation(Version.parse(n.get("version").asText()),
            n.get("reason").asText(), Json.instant(n, "revokedAt").orElseThrow()));
      }
      return revoked;
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring the unreadable revocation record {}: {}", file, e.toString());
      return List.of();
    }
  }

  /** The remembered revocation of {@code version}, if any. */
  Optional<Revocation> of(Optional<Version> version) {
    return version.flatMap(v -> read().stream().filter(r -> r.version().equals(v)).findFirst());
  }

  /** Remembers {@code revoked} when it differs from what is remembered. Never throws. */
  void remember(List<Revocation> revoked) {
    if (read().equals(revoked)) {
      return;
    }
    try {
      if (revoked.isEmpty()) {
        Files.deleteIfExists(file);
        return;
      }
      ObjectNode root = Json.object();
      ArrayNode array = root.putArray("revoked");
      for (Revocation r : revoked) {
        array.addObject().put("version", r.version().toString()).put("reason", r.reason())
            .put("revokedAt", r.revokedAt().toString());
      }
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      LOG.warn("Could not remember the channel's revocations in {}: {}", file, e.toString());
    }
  }
}
