package dev.updater.jdbc;

import dev.updater.core.UpdateContext;
import dev.updater.core.spi.MigrationRunner;
import dev.updater.jdbc.internal.Commands;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs the migration tool the release ships, from inside the newly activated release, as a Node
 * application runs {@code prisma migrate deploy}: its output and errors go to the log line by
 * line; a non-zero exit, a timeout (default 10 minutes; the command and its children are then
 * killed) or a command that cannot be started throws {@link MigrationException} naming the
 * command, the exit code and the last 20 lines of output, and the pipeline puts the previous
 * release back.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(home)
 *     .source(source)
 *     .migrationRunner(CommandMigrationRunner.of("npx", "prisma", "migrate", "deploy"))
 *     .build();
 *
 * MigrationRunner custom = CommandMigrationRunner.builder("./bin/migrate", "--forward-only")
 *     .directory("backend")                        // relative to the release
 *     .timeout(Duration.ofMinutes(30))
 *     .environment("DATABASE_URL", databaseUrl)
 *     .build();
 * }</pre>
 *
 * <p>The command is run as given, without a shell: write {@code of("sh", "-c", "a && b")} for one.
 * It also sees {@code UPDATER_FROM_VERSION} (when a release was live), {@code UPDATER_TO_VERSION}
 * and {@code UPDATER_RELEASE_DIR}. The tool must be forward-only and safe to run again (as
 * {@code prisma migrate deploy} and Flyway are), because {@code repair()} runs it again.
 *
 * <p>Immutable and thread-safe.
 */
public final class CommandMigrationRunner implements MigrationRunner {
  /** How long the command may run unless {@link Builder#timeout} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private final List<String> command;
  private final String directory;
  private final Duration timeout;
  private final Map<String, String> environment;

  private CommandMigrationRunner(Builder b) {
    this.command = b.command;
    this.directory = b.directory;
    this.timeout = b.timeout;
    this.environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
  }

  /** Runs {@code command} (program and arguments) in the release directory, with the defaults. */
  public static CommandMigrationRunner of(String... command) {
    return builder(command).build();
  }

  /** A builder for a runner of {@code command}, the program and its arguments. */
  public static Builder builder(String... command) {
    return new Builder(command);
  }

  @Override
  public void migrate(UpdateContext context) throws MigrationException, InterruptedIOException {
    Objects.requireNonNull(context, "context");
    Map<String, String> env = new LinkedHashMap<>(environment);
    context.from().ifPresent(v -> env.put("UPDATER_FROM_VERSION", v.toString()));
    env.put("UPDATER_TO_VERSION", context.to().toString());
    env.put("UPDATER_RELEASE_DIR", context.releaseDir().toString());
    Path dir = context.releaseDir().resolve(directory).normalize();
    Commands.run(command, dir, env, timeout, "migrate to " + context.to());
  }

  @Override
  public String toString() {
    return "CommandMigrationRunner" + command;
  }

  /** Configures a {@link CommandMigrationRunner}. Not thread-safe. */
  public static final class Builder {
    private final List<String> command;
    private String directory = ".";
    private Duration timeout = DEFAULT_TIMEOUT;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Builder(String... command) {
      Objects.requireNonNull(command, "command");
      for (String part : command) {
        Objects.requireNonNull(part, "command part");
      }
      if (command.length == 0 || command[0].isBlank()) {
        throw new IllegalArgumentException("a migration command needs at least a program name");
      }
      this.command = List.of(command);
    }

    /** Where the command runs, relative to the release; default the release directory itself. */
    public Builder directory(String directory) {
      Objects.requireNonNull(directory, "directory");
      Path path = Path.of(directory).normalize();
      if (directory.isBlank() || path.isAbsolute() || path.startsWith("..")) {
        throw new IllegalArgumentException("the command's directory must be a relative path inside"
            + " the release, was '" + directory + "'");
      }
      this.directory = directory;
      return this;
    }

    /** How long the command may run before it is killed; default 10 minutes. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Adds {@code name=value} to the command's environment (on top of this process's). */
    public Builder environment(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || name.contains("=")) {
        throw new IllegalArgumentException("not an environment variable name: '" + name + "'");
      }
      environment.put(name, value);
      return this;
    }

    /** Builds the runner. */
    public CommandMigrationRunner build() {
      return new CommandMigrationRunner(this);
    }
  }
}
