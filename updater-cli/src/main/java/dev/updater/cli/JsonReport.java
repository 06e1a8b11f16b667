package dev.updater.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.QuarantinedRelease;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Version;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one JSON object a {@code --json} run prints on its standard output, success or failure.
 * Commands put what they learn into {@link #node()}; {@link Main} adds {@code command}, {@code ok},
 * {@code exitCode} and, on failure, {@code error} ({@code reason}, {@code step}, {@code message}),
 * then prints it on one line.
 *
 * <pre>{@code
 * {"command":"check","installed":"1.0.0","latest":"1.1.0","updateAvailable":true, ...}
 * }</pre>
 */
final class JsonReport {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ObjectNode node = MAPPER.createObjectNode();

  JsonReport(String command) {
    node.put("command", command);
  }

  /** The object to fill; field order is kept. */
  ObjectNode node() {
    return node;
  }

  /** Puts a version, or {@code null} when there is none. */
  JsonReport version(String field, Optional<Version> version) {
    if (version.isPresent()) {
      node.put(field, version.get().toString());
    } else {
      node.putNull(field);
    }
    return this;
  }

  /**
   * Puts the install's state: {@code running} (null: the command is not the application),
   * {@code installed}, {@code previous}, {@code state}, {@code phase}, {@code restartRequired},
   * {@code canRollBack} and {@code error}: the failure of the last operation, or null. A failure of
   * the command itself replaces {@code error} (see {@link #failed}).
   */
  JsonReport status(UpdateStatus s) {
    version("running", s.running());
    version("installed", s.installed());
    version("previous", s.previous());
    node.put("state", s.state().name().toLowerCase(Locale.ROOT));
    node.put("phase", s.phase().statusName());
    node.put("restartRequired", s.restartRequired());
    node.put("canRollBack", s.canRollBack());
    if (s.error().isPresent()) {
      UpdateStatus.Failure f = s.error().get();
      ObjectNode e = node.putObject("error");
      e.put("reason", f.reason().name());
      if (f.step().isPresent()) {
        e.put("step", f.step().get().name().toLowerCase(Locale.ROOT));
      } else {
        e.putNull("step");
      }
      e.put("message", f.message());
      e.put("at", f.at().toString());
    } else {
      node.putNull("error");
    }
    return this;
  }

  /**
   * Puts {@code quarantined}: the releases this install rolled back and no longer offers, oldest
   * first, each with {@code version}, {@code reason} and {@code at}; an empty array when none.
   */
  JsonReport quarantined(List<QuarantinedRelease> releases) {
    ArrayNode list = node.putArray("quarantined");
    for (QuarantinedRelease q : releases) {
      list.addObject().put("version", q.version().toString()).put("reason", q.reason())
          .put("at", q.at().toString());
    }
    return this;
  }

  /** Records success: {@code ok} true, {@code error} null. */
  void succeeded(int exitCode) {
    node.put("ok", exitCode == Exit.OK);
    node.put("exitCode", exitCode);
    if (!node.has("error")) {
      node.putNull("error");
    }
  }

  /** Records the failure of {@code e}: its reason (from the core error when there is one). */
  void failed(CliException e) {
    node.put("ok", false);
    node.put("exitCode", e.exitCode());
    ObjectNode error = node.putObject("error");
    if (e.getCause() instanceof UpdateException u) {
      error.put("reason", u.reason().name());
      if (u.step().isPresent()) {
        error.put("step", u.step().get().name().toLowerCase(Locale.ROOT));
      } else {
        error.putNull("step");
      }
    } else {
      error.put("reason", reasonFor(e.exitCode()));
      error.putNull("step");
    }
    error.put("message", e.getMessage());
    if (!node.has("phase")) {
      node.put("phase", "error");
    }
  }

  /** The object as one line of JSON. */
  String text() {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serializes", e);
    }
  }

  private static String reasonFor(int exitCode) {
    switch (exitCode) {
      case Exit.USAGE:
        return "USAGE";
      case Exit.REFUSED:
        return "REFUSED";
      case Exit.VERIFICATION:
        return "VERIFICATION_FAILED";
      case Exit.UNAVAILABLE:
        return "SOURCE_UNAVAILABLE";
      default:
        return "FAILED";
    }
  }
}
