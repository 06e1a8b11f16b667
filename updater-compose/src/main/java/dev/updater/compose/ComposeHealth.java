package dev.updater.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waits until every service of a Compose project has a running container that is healthy (or has
 * no health check), reading {@code docker compose ps --all --format json} (one JSON object per
 * line, or one array, as older Compose versions print). A container that is unhealthy, exited,
 * dead or missing after the timeout fails the wait with what each service is. Stateless.
 */
final class ComposeHealth {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> GONE = Set.of("exited", "dead", "removing");

  /** How the waiting sleeps between two looks. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private ComposeHealth() {}

  /**
   * Returns once every one of {@code services} is running and healthy.
   *
   * @throws IOException naming each service that is not, when one fails or the timeout passes
   */
  static void await(ComposeCli cli, Path file, Set<String> services, Duration timeout,
      Duration interval, Sleeper sleeper) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, String> states = states(cli.check(file, "ps", "--all", "--format", "json"));
      List<String> failed = new ArrayList<>();
      List<String> waiting = new ArrayList<>();
      for (String service : services) {
        String state = states.getOrDefault(service, "missing");
        if (state.equals("running/healthy") || state.equals("running/")) {
          continue;
        }
        boolean bad = state.endsWith("/unhealthy") || GONE.contains(state.split("/")[0]);
        (bad ? failed : waiting).add(service + " " + state);
      }
      if (failed.isEmpty() && waiting.isEmpty()) {
        return;
      }
      if (!failed.isEmpty() || System.nanoTime() > deadline) {
        List<String> all = new ArrayList<>(failed);
        all.addAll(waiting);
        throw new IOException("the containers are not healthy"
            + (failed.isEmpty() ? " after " + timeout.toSeconds() + " s" : "") + ": "
            + String.join(", ", all) + " (state/health)");
      }
      try {
        sleeper.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for the containers");
      }
    }
  }

  /** {@code state/health} by service, from the output of {@code ps --format json}. */
  static Map<String, String> states(String output) throws IOException {
    List<JsonNode> containers = new ArrayList<>();
    String text = output.strip();
    if (text.startsWith("[")) {
      JSON.readTree(text).forEach(containers::add);
    } else {
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          containers.add(JSON.readTree(line));
        }
      }
    }
    Map<String, String> states = new LinkedHashMap<>();
    for (JsonNode c : containers) {
      String service = c.path("Service").asText("");
      String state = c.path("State").asText("").toLowerCase(java.util.Locale.ROOT) + "/"
          + c.path("Health").asText("").toLowerCase(java.util.Locale.ROOT);
      String seen = states.get(service);
      if (seen == null || !seen.startsWith("running")) {
        states.put(service, state); // a running container of a service wins over stopped ones
      }
    }
    return states;
  }
}
