package dev.updater.core.confirm;

import dev.updater.core.Updater;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The detached watcher: a separate JVM that the updater starts just before it restarts the host
 * into a new release. It outlives the restart, waits until the new release confirms or its deadline
 * passes, and when the deadline passes (or the release crash-loops: too many unconfirmed starts)
 * takes the update lock, makes the previous release live again, records why in the journal and the
 * history, and restarts it by running {@link Builder#restartCommand}. Opt-in: without
 * {@link Updater.Builder#watcher(Watcher)} no watcher runs, and the deadline is enforced by the next
 * updater that starts on the install.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     ...
 *     .restarter(Restarters.firstAvailable("myapp"))
 *     .watcher(Watcher.builder()
 *         .restartCommand("systemctl", "--user", "restart", "myapp.service")
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>The watcher and the host's own updater never both roll back: each takes the update lock first
 * and decides from the journal, and a release that was rolled back (or confirmed) no longer awaits
 * confirmation. The watcher uses the default lock ({@code .updater/lock.json}) and the default
 * symbolic-link activation, so {@link Updater.Builder#build()} refuses a watcher together with
 * another {@link dev.updater.core.spi.LockStore} or {@link dev.updater.core.spi.Activator}. See
 * {@code docs/confirmation.md}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Watcher {
  /** How often the watcher reads the journal by default: every 500 ms. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
  /** How long the restart command may run by default before it is killed: 60 s. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final List<String> restartCommand;
  private final Duration pollInterval;
  private final Duration commandTimeout;
  private final Optional<Path> java;
  private final Optional<String> classpath;
  private final List<String> wrapper;

  private Watcher(Builder b) {
    this.restartCommand = List.copyOf(b.restartCommand);
    this.pollInterval = b.pollInterval;
    this.commandTimeout = b.commandTimeout;
    this.java = Optional.ofNullable(b.java);
    this.classpath = Optional.ofNullable(b.classpath);
    this.wrapper = List.copyOf(b.wrapper);
  }

  /** A builder; {@link Builder#restartCommand} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The command that restarts the host after a rollback, run without a shell. {@code {version}},
   * {@code {release}} and {@code {home}} in an argument are replaced by the version restarted
   * into, its release directory and the install's home.
   */
  public List<String> restartCommand() {
    return restartCommand;
  }

  /** How often the watcher reads the journal. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** How long the restart command may run before it and its children are killed. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** The java binary to run the watcher with; empty: the one running this JVM. */
  public Optional<Path> java() {
    return java;
  }

  /**
   * The class path of the watcher JVM; empty: this JVM's class path, with entries under
   * {@code <home>/current} read in the release this process was started from.
   */
  public Optional<String> classpath() {
    return classpath;
  }

  /**
   * A command prefix the watcher's java command is started through, such as
   * {@code systemd-run --user --scope --quiet} so that it leaves the host's systemd unit; empty
   * (the default): {@code setsid -f} where it is available.
   */
  public List<String> wrapper() {
    return wrapper;
  }

  @Override
  public String toString() {
    return "Watcher[restartCommand=" + restartCommand + ", pollInterval=" + pollInterval + "]";
  }

  /** Configures a {@link Watcher}. Setters reject bad values at once. Not thread-safe. */
  public static final class Builder {
    private List<String> restartCommand = List.of();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Path java;
    private String classpath;
    private List<String> wrapper = List.of();

    private Builder() {}

    /** The command that restarts the host (see {@link Watcher#restartCommand()}). Required. */
    public Builder restartCommand(String... command) {
      return restartCommand(List.of(command));
    }

    /** The command that restarts the host (see {@link Watcher#restartCommand()}). Required. */
    public Builder restartCommand(List<String> command) {
      Objects.requireNonNull(command, "command");
      if (command.isEmpty() || command.get(0).isBlank()) {
        throw new IllegalArgumentException("restartCommand must name a program to run");
      }
      this.restartCommand = new ArrayList<>(command);
      return this;
    }

    /** How often the watcher reads the journal; default 500 ms. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /** How long the restart command may run; default 60 s. */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = positive(commandTimeout, "commandTimeout");
      return this;
    }

    /** The java binary for the watcher JVM; default the one running this JVM. */
    public Builder java(Path java) {
      this.java = Objects.requireNonNull(java, "java");
      return this;
    }

    /** The watcher JVM's class path; it must hold updater-core and its dependencies. */
    public Builder classpath(String classpath) {
      Objects.requireNonNull(classpath, "classpath");
      if (classpath.isBlank()) {
        throw new IllegalArgumentException("classpath must not be blank");
      }
      this.classpath = classpath;
      return this;
    }

    /** A command prefix to start the watcher through (see {@link Watcher#wrapper()}). */
    public Builder wrapper(String... prefix) {
      this.wrapper = List.of(prefix);
      return this;
    }

    /**
     * Builds the watcher.
     *
     * @throws IllegalStateException when no restart command was given
     */
    public Watcher build() {
      if (restartCommand.isEmpty()) {
        throw new IllegalStateException("Watcher.builder() is missing restartCommand(...): the"
            + " command that restarts the host after a rollback, for example"
            + " systemctl --user restart myapp.service");
      }
      return new Watcher(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
