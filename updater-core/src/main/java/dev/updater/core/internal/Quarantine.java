package dev.updater.core.internal;

import dev.updater.core.internal.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.QuarantinedRelease;
import dev.updater.core.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The releases this install rolled back, {@code .updater/quarantine.json}, which checks no longer
 * offer (see {@link QuarantinedRelease}). Only versions newer than the live release matter: every
 * write drops the others, so the file stays as small as the run of failed releases above the live
 * one. Written atomically; read tolerantly: an unreadable file is logged and read as empty, never
 * blocks an update, and is replaced by the next write. Not API.
 *
 * <p>Writes run under the update lock; reads need none (a write replaces the file in one rename).
 */
final class Quarantine {
  private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

  /** The entries read, and whether the file was there but unreadable. */
  private record Read(List<QuarantinedRelease> entries, boolean damaged) {}

  private final Path file;

  Quarantine(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The quarantined versions newer than {@code live} (all of them when none is live), in order. */
  List<QuarantinedRelease> above(Optional<Version> live) {
    return read().entries().stream().filter(q -> matters(q.version(), live)).toList();
  }

  /**
   * Quarantines {@code version} (again, with this reason and time, if it already was), and drops
   * every entry not newer than {@code live}, the release that is live once the rollback is done.
   * Never throws: a quarantine that cannot be written is logged, and the rollback stands.
   */
  void add(Version version, String reason, Instant at, Optional<Version> live) {
    if (!matters(version, live)) {
      return; // not newer than what stays live (a failed downgrade): never offered anyway
    }
    List<QuarantinedRelease> entries = new ArrayList<>(read().entries());
    entries.removeIf(q -> q.version().equals(version));
    entries.add(new QuarantinedRelease(version, reason, at));
    try {
      write(entries, live);
      LOG.warn("Quarantined {}: checks no longer offer it until it is installed by name or "
          + "unquarantined ({})", version, reason);
    } catch (IOException | RuntimeException e) {
      LOG.error("Could not quarantine {} in {}; checks may offer it again", version, file, e);
    }
  }

  /**
   * Lifts the quarantine of {@code version}, and drops every entry not newer than {@code live}.
   * Writes nothing when nothing changes.
   *
   * @return true when {@code version} was quarantined and newer than {@code live}
   */
  boolean lift(Version version, Optional<Version> live) throws IOException {
    Read read = read();
    boolean lifted = read.entries().stream()
        .anyMatch(q -> q.version().equals(version) && matters(version, live));
    List<QuarantinedRelease> kept = new ArrayList<>(read.entries());
    kept.removeIf(q -> q.version().equals(version) || !matters(q.version(), live));
    if (read.damaged() || kept.size() != read.entries().size()) {
      write(kept, live);
    }
    if (lifted) {
      LOG.info("Lifted the quarantine of {}: checks offer it again", version);
    }
    return lifted;
  }

  private static boolean matters(Version version, Optional<Version> live) {
    return live.map(version::isNewerThan).orElse(true);
  }

  private Read read() {
    try {
      JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
      JsonNode list = root.get("quarantined");
      if (list == null || !list.isArray()) {
        throw new IllegalArgumentException("no 'quarantined' array");
      }
      List<QuarantinedRelease> entries = new ArrayList<>();
      for (JsonNode n : list) {
        entries.add(new QuarantinedRelease(Json.version(n, "version").orElseThrow(),
            Json.text(n, "reason").orElse(""), Json.instant(n, "at").orElseThrow()));
      }
      entries.sort(Comparator.comparing(QuarantinedRelease::version));
      return new Read(List.copyOf(entries), false);
    } catch (NoSuchFileException e) {
      return new Read(List.of(), false);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring the unreadable quarantine file {} ({}): no release is quarantined until "
          + "the next rollback rewrites it", file, e.toString());
      return new Read(List.of(), true);
    }
  }

  private void write(List<QuarantinedRelease> entries, Optional<Version> live) throws IOException {
    List<QuarantinedRelease> kept = entries.stream().filter(q -> matters(q.version(), live))
        .sorted(Comparator.comparing(QuarantinedRelease::version)).toList();
    if (kept.isEmpty()) {
      if (Files.deleteIfExists(file)) {
        AtomicFiles.syncDirectory(file.getParent());
      }
      return;
    }
    ObjectNode root = Json.object();
    ArrayNode list = root.putArray("quarantined");
    for (QuarantinedRelease q : kept) {
      list.addObject().put("version", q.version().toString()).put("reason", q.reason())
          .put("at", q.at().toString());
    }
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }
}
