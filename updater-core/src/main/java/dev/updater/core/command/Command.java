package dev.updater.core.command;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An external program to run: the program and its arguments (run as given, never through a
 * shell), a working directory, an environment, a timeout, and how much of its output to keep.
 *
 * <pre>{@code
 * CommandResult result = Command.builder("npx", "prisma", "migrate", "deploy")
 *     .directory(releaseDir)
 *     .variable("DATABASE_URL", databaseUrl)
 *     .timeout(Duration.ofMinutes(10))
 *     .onOutputLine(line -> log.info("[prisma] {}", line))
 *     .build()
 *     .run();
 * if (!result.succeeded()) {
 *   throw new IllegalStateException(result.describe());
 * }
 * }</pre>
 *
 * <p>{@link #run()} starts the program with its standard input at end of file and its standard
 * output and error merged. The output is read as it comes: every line goes to the {@link
 * Builder#onOutputLine} listener, and the last {@link Builder#outputLimit} bytes are kept for the
 * {@link CommandResult}. A command that outlives its {@link Builder#timeout} is ended together with
 * every process it started: each is asked to terminate, and whatever still runs {@link
 * #KILL_GRACE} later is killed forcibly. A command that ends in time may leave processes it
 * started in the background running; they are not waited for beyond a second of output reading.
 *
 * <p>Immutable and thread-safe: one {@code Command} may be run any number of times, from any
 * threads. The output listener is called from a reader thread, one line at a time.
 */
public final class Command {
  /** How long a command may run unless {@link Builder#timeout} says otherwise: 60 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** How many bytes of output are kept unless {@link Builder#outputLimit} says otherwise. */
  public static final int DEFAULT_OUTPUT_LIMIT = 16 * 1024;
  /** How long processes asked to terminate at a timeout get before they are killed: 2 s. */
  public static final Duration KILL_GRACE = Duration.ofSeconds(2);

  /** How long output is still read after the command ended, for a background process's sake. */
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(1);

  private final List<String> commandLine;
  private final Path directory;
  private final Map<String, String> environment;
  private final Map<String, String> variables;
  private final Duration timeout;
  private final int outputLimit;
  private final Consumer<String> lineListener;
  private final boolean inheritOutput;

  private Command(Builder b) {
    this.commandLine = List.copyOf(b.commandLine);
    this.directory = b.directory;
    this.environment = b.environment == null ? null : Map.copyOf(b.environment);
    this.variables = Map.copyOf(b.variables);
    this.timeout = b.timeout;
    this.outputLimit = b.outputLimit;
    this.lineListener = b.lineListener;
    this.inheritOutput = b.inheritOutput;
  }

  /** A builder for running {@code commandLine}: the program, then its arguments. */
  public static Builder builder(String... commandLine) {
    Objects.requireNonNull(commandLine, "commandLine");
    return builder(List.of(commandLine));
  }

  /** A builder for running {@code commandLine}: the program, then its arguments. */
  public static Builder builder(List<String> commandLine) {
    return new Builder(commandLine);
  }

  /** The program and its arguments. */
  public List<String> commandLine() {
    return commandLine;
  }

  /** How long the command may run before it is ended. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Runs the command and waits until it ends or its timeout passes.
   *
   * @return how it ended; a non-zero exit or a timeout is a result, not an exception
   * @throws IOException when the program cannot be started (not found, not executable, no such
   *     working directory)
   * @throws InterruptedException when this thread is interrupted while waiting; the command and
   *     every process it started are ended first
   */
  public CommandResult run() throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    if (environment != null) {
      builder.environment().clear();
      builder.environment().putAll(environment);
    }
    builder.environment().putAll(variables);
    if (inheritOutput) {
      builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    }
    long start = System.nanoTime();
    Process process = builder.start();
    process.getOutputStream().close();
    OutputTail tail = new OutputTail(outputLimit, lineListener);
    Thread reader = new Thread(() -> tail.drain(process.getInputStream()),
        "updater-command-output");
    reader.setDaemon(true);
    reader.start();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      ProcessTree.end(process, KILL_GRACE);
      throw e;
    }
    if (!finished) {
      ProcessTree.end(process, KILL_GRACE);
      process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    reader.join(DRAIN_GRACE.toMillis());
    int exitCode = finished ? process.exitValue() : -1;
    return new CommandResult(commandLine, exitCode, !finished, tail.text(), tail.truncated(),
        elapsed);
  }

  /** The program and its arguments separated by spaces. */
  @Override
  public String toString() {
    return String.join(" ", commandLine);
  }

  /**
   * Configures a {@link Command}. Every setter rejects null and bad values at once and returns
   * {@code this}. Not thread-safe; {@link #build()} returns an immutable command.
   */
  public static final class Builder {
    private final List<String> commandLine;
    private Path directory;
    private Map<String, String> environment;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private int outputLimit = DEFAULT_OUTPUT_LIMIT;
    private Consumer<String> lineListener;
    private boolean inheritOutput;

    private Builder(List<String> commandLine) {
      Objects.requireNonNull(commandLine, "commandLine");
      List<String> copy = new ArrayList<>(commandLine.size());
      for (String part : commandLine) {
        copy.add(Objects.requireNonNull(part, "command line part"));
      }
      if (copy.isEmpty() || copy.get(0).isBlank()) {
        throw new IllegalArgumentException("a command needs a program to run");
      }
      this.commandLine = copy;
    }

    /** The working directory; default this process's working directory. */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * The complete environment of the command: exactly {@code variables} (plus any {@link
     * #variable}), instead of this process's environment, which it sees by default.
     */
    public Builder environment(Map<String, String> variables) {
      Map<String, String> copy = Settings.environment(variables);
      this.environment = copy;
      return this;
    }

    /** Sets one environment variable, on top of the environment the command otherwise sees. */
    public Builder variable(String name, String value) {
      variables.put(Settings.name(name), Objects.requireNonNull(value, "value of " + name));
      return this;
    }

    /** How long the command may run before it is ended; positive; default 60 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Settings.timeout(timeout);
      return this;
    }

    /** How many of the last bytes of output the result keeps; positive; default 16 KiB. */
    public Builder outputLimit(int bytes) {
      this.outputLimit = Settings.outputLimit(bytes);
      return this;
    }

    /**
     * Receives each line of output as it arrives, without its line ending, for example to log it.
     * Called from a reader thread; an exception it throws is ignored.
     */
    public Builder onOutputLine(Consumer<String> listener) {
      this.lineListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sends the command's output where this process's output goes instead of reading it: nothing
     * is captured (the result's output is empty) and no line reaches {@link #onOutputLine}. For a
     * command that may leave a background process writing after it ended.
     */
    public Builder inheritOutput() {
      this.inheritOutput = true;
      return this;
    }

    /** An immutable command with these settings. */
    public Command build() {
      return new Command(this);
    }
  }
}
