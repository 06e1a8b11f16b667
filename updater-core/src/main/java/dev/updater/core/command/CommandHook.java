package dev.updater.core.command;

import dev.updater.core.Hook;
import dev.updater.core.UpdateContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Hook} that runs an external program at a step of the pipeline, by default in the tree
 * the step works on: the staged tree for {@code after(Step.STAGE)} (install dependencies, build),
 * {@code releases/<version>/} for the later steps.
 *
 * <pre>{@code
 * Updater.builder()
 *     .after(Step.STAGE, CommandHook.builder("npm", "ci", "--omit=dev")
 *         .timeout(Duration.ofMinutes(10))
 *         .variable("NODE_ENV", "production")
 *         .build())
 *     .before(Step.ACTIVATE, CommandHook.shell("./bin/pre-switch-check").build())
 * }</pre>
 *
 * <p>Each run starts the program with its standard input at end of file, its output and error
 * merged, logged line by line and the last {@link Builder#outputLimit} bytes kept. Besides the
 * environment it is given, the program sees {@code UPDATER_OPERATION} ({@code install}, {@code
 * rollback}, ...), {@code UPDATER_STEP} ({@code stage}, {@code activate}, ...), {@code
 * UPDATER_FROM} (empty on a first install), {@code UPDATER_TO}, {@code UPDATER_HOME} and {@code
 * UPDATER_RELEASE_DIR}. A program that exits non-zero, outlives its timeout (it is ended together
 * with every process it started) or cannot be started fails the hook with a {@link
 * CommandFailedException} whose message holds the command, how it ended and the tail of its
 * output; the pipeline records that message in the failure and the history and stops the
 * operation ({@code HOOK_FAILED}; after activation the previous release is put back).
 *
 * <p>Immutable and thread-safe.
 */
public final class CommandHook implements Hook {
  /** How long the program may run unless {@link Builder#timeout} says otherwise: 10 minutes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  /** How many bytes of output are kept unless {@link Builder#outputLimit} says otherwise. */
  public static final int DEFAULT_OUTPUT_LIMIT = 4 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(CommandHook.class);

  private final List<String> commandLine;
  private final Optional<Path> directory;
  private final Optional<Map<String, String>> environment;
  private final Map<String, String> variables;
  private final Duration timeout;
  private final int outputLimit;

  private CommandHook(Builder b) {
    this.commandLine = List.copyOf(b.commandLine);
    this.directory = b.directory;
    this.environment = b.environment.map(Map::copyOf);
    this.variables = Map.copyOf(b.variables);
    this.timeout = b.timeout;
    this.outputLimit = b.outputLimit;
  }

  /** A builder for a hook that runs {@code program} with {@code arguments}, never through a shell. */
  public static Builder builder(String program, String... arguments) {
    Objects.requireNonNull(program, "program");
    Objects.requireNonNull(arguments, "arguments");
    List<String> line = new ArrayList<>();
    line.add(program);
    line.addAll(List.of(arguments));
    return new Builder(line);
  }

  /** A builder for a hook that runs the whole command line {@code commandLine}, never through a shell. */
  public static Builder builder(List<String> commandLine) {
    return new Builder(commandLine);
  }

  /**
   * A builder for a hook that runs {@code script} through {@code sh -c}, so that it may use pipes,
   * {@code &&} and variables such as {@code $UPDATER_TO}.
   */
  public static Builder shell(String script) {
    Objects.requireNonNull(script, "script");
    if (script.isBlank()) {
      throw new IllegalArgumentException("a shell hook needs a command to run");
    }
    return new Builder(List.of("sh", "-c", script));
  }

  /** The program and its arguments. */
  public List<String> commandLine() {
    return commandLine;
  }

  /** How long the program may run before it is ended. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Runs the program and waits for it.
   *
   * @throws CommandFailedException when it exits non-zero, times out or cannot be started
   * @throws InterruptedException when this thread is interrupted while waiting; the program and
   *     every process it started are ended first
   */
  @Override
  public void run(UpdateContext context) throws IOException, InterruptedException {
    Objects.requireNonNull(context, "context");
    Path dir = directory.orElse(context.releaseDir());
    if (!Files.isDirectory(dir)) {
      throw new CommandFailedException("cannot run \"" + String.join(" ", commandLine)
          + "\": its working directory " + dir + " is not a directory", Optional.empty(), null);
    }
    String step = context.step().name().toLowerCase(Locale.ROOT);
    Command.Builder command = Command.builder(commandLine).directory(dir).timeout(timeout)
        .outputLimit(outputLimit)
        .onOutputLine(line -> LOG.info("[{} {}] {}", step, commandLine.get(0), line));
    environment.ifPresent(command::environment);
    variables.forEach(command::variable);
    command.variable("UPDATER_OPERATION", context.operation().name().toLowerCase(Locale.ROOT))
        .variable("UPDATER_STEP", step)
        .variable("UPDATER_FROM", context.from().map(Object::toString).orElse(""))
        .variable("UPDATER_TO", context.to().toString())
        .variable("UPDATER_HOME", context.layout().home().toString())
        .variable("UPDATER_RELEASE_DIR", context.releaseDir().toString());
    LOG.info("Running \"{}\" in {} ({} of {})", String.join(" ", commandLine), dir, step,
        context.to());
    CommandResult result;
    try {
      result = command.build().run();
    } catch (IOException e) {
      throw new CommandFailedException("cannot start \"" + String.join(" ", commandLine) + "\" in "
          + dir + ": " + e.getMessage() + "; check that the program is installed and on the PATH",
          Optional.empty(), e);
    }
    if (!result.succeeded()) {
      throw new CommandFailedException(result.describe(), Optional.of(result), null);
    }
    LOG.info("\"{}\" succeeded in {} ms", String.join(" ", commandLine),
        result.elapsed().toMillis());
  }

  @Override
  public String toString() {
    return "CommandHook[" + String.join(" ", commandLine) + "]";
  }

  /**
   * Configures a {@link CommandHook}. Every setter rejects null and bad values at once and returns
   * {@code this}. Not thread-safe; {@link #build()} returns an immutable hook.
   */
  public static final class Builder {
    private final List<String> commandLine;
    private Optional<Path> directory = Optional.empty();
    private Optional<Map<String, String>> environment = Optional.empty();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private int outputLimit = DEFAULT_OUTPUT_LIMIT;

    private Builder(List<String> commandLine) {
      Objects.requireNonNull(commandLine, "commandLine");
      List<String> copy = new ArrayList<>();
      for (String part : commandLine) {
        copy.add(Objects.requireNonNull(part, "command line part"));
      }
      if (copy.isEmpty() || copy.get(0).isBlank()) {
        throw new IllegalArgumentException("a command hook needs a program to run");
      }
      this.commandLine = copy;
    }

    /** The working directory; default the tree of the step the hook runs at. */
    public Builder directory(Path directory) {
      this.directory = Optional.of(Objects.requireNonNull(directory, "directory"));
      return this;
    }

    /**
     * The complete environment of the program (plus any {@link #variable} and the {@code UPDATER_}
     * variables), instead of this process's environment, which it sees by default.
     */
    public Builder environment(Map<String, String> variables) {
      Map<String, String> copy = Settings.environment(variables);
      this.environment = Optional.of(copy);
      return this;
    }

    /** Sets one environment variable, on top of the environment the program otherwise sees. */
    public Builder variable(String name, String value) {
      variables.put(Settings.name(name), Objects.requireNonNull(value, "value of " + name));
      return this;
    }

    /** How long the program may run before it and its children are ended; positive. */
    public Builder timeout(Duration timeout) {
      this.timeout = Settings.timeout(timeout);
      return this;
    }

    /** How many of the last bytes of output a failure keeps; positive. */
    public Builder outputLimit(int bytes) {
      this.outputLimit = Settings.outputLimit(bytes);
      return this;
    }

    /** An immutable hook with these settings. */
    public CommandHook build() {
      return new CommandHook(this);
    }
  }
}
