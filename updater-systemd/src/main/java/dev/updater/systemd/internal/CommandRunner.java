package dev.updater.systemd.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds commands on the {@code PATH} of a given environment and runs them with that environment,
 * a timeout and captured output. The JVM's own environment is never read or changed here: the
 * caller passes the variables (production: {@code System.getenv()}).
 *
 * <p>A command that outlives its timeout is killed together with every process it started, so a
 * grandchild holding the output pipe cannot keep the caller waiting.
 *
 * <pre>{@code
 * CommandRunner runner = CommandRunner.of(System.getenv());
 * Path pm2 = runner.find("pm2").orElseThrow();
 * CommandResult result = runner.run(pm2, List.of("describe", "myapp"), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Not API.
 */
public final class CommandRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
  /** The most output kept per command; the rest is dropped with a marker. */
  static final int MAX_OUTPUT_BYTES = 16 * 1024;
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(1);

  private final Map<String, String> environment;

  private CommandRunner(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** A runner whose commands see exactly {@code environment}, and whose lookups use its PATH. */
  public static CommandRunner of(Map<String, String> environment) {
    return new CommandRunner(environment);
  }

  /** The value of a variable of this environment. */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(environment.get(name));
  }

  /**
   * The first executable regular file named {@code command} in a directory of {@code PATH}, as an
   * absolute path; empty when there is none (or no PATH). Has no side effects.
   */
  public Optional<Path> find(String command) {
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue; // an empty entry means "." to a shell; never trust the working directory here
      }
      try {
        Path candidate = Path.of(dir).resolve(command);
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

  /**
   * Runs {@code executable} with {@code arguments} (no shell), stdin closed, stdout and stderr
   * merged and captured, and kills it and its descendants when {@code timeout} passes.
   *
   * @throws IOException when the process cannot be started
   * @throws InterruptedException when the calling thread is interrupted (the process is killed)
   */
  public CommandResult run(Path executable, List<String> arguments, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(environment);

    long start = System.nanoTime();
    Process process = builder.start();
    OutputCollector collector = new OutputCollector(process.getInputStream());
    Thread reader = new Thread(collector, "updater-command-output");
    reader.setDaemon(true);
    reader.start();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    }
    if (!finished) {
      killTree(process);
      process.waitFor(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
    reader.join(DRAIN_GRACE.toMillis());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    int exitCode = finished ? process.exitValue() : -1;
    return new CommandResult(command, exitCode, !finished, collector.text(), elapsed);
  }

  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static final class OutputCollector implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean truncated;

    OutputCollector(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[4096];
      try (in) {
        int n;
        while ((n = in.read(buffer)) != -1) {
          synchronized (this) {
            int room = MAX_OUTPUT_BYTES - bytes.size();
            bytes.write(buffer, 0, Math.max(0, Math.min(n, room)));
            truncated |= n > room;
          }
        }
      } catch (IOException e) {
        // the process was killed or its pipe closed: keep what was read
      }
    }

    synchronized String text() {
      String text = bytes.toString(StandardCharsets.UTF_8).strip();
      return truncated ? text + " [output truncated]" : text;
    }
  }
}
