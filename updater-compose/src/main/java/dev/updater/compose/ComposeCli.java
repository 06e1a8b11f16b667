package dev.updater.compose;

import dev.updater.core.command.Command;
import dev.updater.core.command.CommandResult;
import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code docker compose} for one project: the {@code docker} program is looked up on the
 * PATH of the configured environment (never the working directory), and every command sees
 * exactly that environment. Immutable and thread-safe.
 */
final class ComposeCli {
  private static final Logger LOG = LoggerFactory.getLogger(ComposeCli.class);
  private static final int OUTPUT_LIMIT = 256 * 1024;

  private final Map<String, String> environment;
  private final String project;
  private final Path directory;
  private final Duration timeout;

  ComposeCli(Map<String, String> environment, String project, Path directory, Duration timeout) {
    this.environment = Map.copyOf(environment);
    this.project = project;
    this.directory = directory;
    this.timeout = timeout;
  }

  /** The {@code docker} program on the environment's PATH, if any. */
  Optional<Path> docker() {
    for (String dir : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      try {
        Path candidate = Path.of(dir).resolve("docker");
        if (candidate.isAbsolute() && Files.isRegularFile(candidate)
            && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      } catch (InvalidPathException e) {
        LOG.debug("Ignoring PATH entry {}: {}", dir, e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Runs {@code docker compose -p PROJECT -f FILE ARGS...} and returns how it ended. */
  CommandResult run(Path file, String... args) throws IOException {
    Path docker = docker().orElseThrow(() -> new IOException("docker not found on the PATH ("
        + environment.getOrDefault("PATH", "") + "); install Docker with the Compose plugin"));
    List<String> line = new ArrayList<>(List.of(docker.toString(), "compose", "--project-name",
        project, "--file", file.toString()));
    line.addAll(List.of(args));
    try {
      Path dir = Files.isDirectory(directory) ? directory : Path.of("").toAbsolutePath();
      CommandResult result = Command.builder(line).directory(dir).environment(environment)
          .timeout(timeout).outputLimit(OUTPUT_LIMIT)
          .onOutputLine(l -> LOG.debug("[docker compose {}] {}", args[0], l)).build().run();
      LOG.info("docker compose {} for project {}: {}", String.join(" ", args), project,
          result.succeeded() ? "ok" : result.describe());
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running docker compose " + args[0]);
    }
  }

  /** Like {@link #run} and fails with what Compose printed unless it succeeded. */
  String check(Path file, String... args) throws IOException {
    CommandResult result = run(file, args);
    if (!result.succeeded()) {
      throw new IOException(result.describe());
    }
    return result.output();
  }
}
