package dev.updater.core.confirm;

import dev.updater.core.UpdateContext;
import dev.updater.core.command.Command;
import dev.updater.core.command.CommandResult;
import dev.updater.core.source.HttpReleaseSource.Sleeper;
import dev.updater.core.spi.HealthCheck;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link HealthCheck} that runs a command in the release directory being confirmed; exit status
 * 0 means healthy. The command runs without a shell, with the environment variables
 * {@code UPDATER_VERSION} (the version confirmed) and {@code UPDATER_RELEASE_DIR} added; its
 * stdout and stderr are merged and captured (the last 4 KiB go into the failure message).
 *
 * <p>Attempts repeat every {@link Builder#interval} (default 1 s) until {@link Builder#timeout}
 * (default 60 s) has passed; an attempt that runs longer than {@link Builder#commandTimeout}
 * (default 10 s) is ended with every process it started (see {@link Command}). When no attempt
 * passed, the check throws a {@link java.util.concurrent.TimeoutException} whose message carries
 * the last exit status and output. A command that fails the same way (the same exit status and
 * output) {@link Builder#failFastAfter} times in a row (default {@value #DEFAULT_FAIL_FAST_AFTER})
 * fails the check at once with an {@link IOException} saying so, instead of being run until the
 * timeout.
 *
 * <pre>{@code
 * HealthCheck check = CommandHealthCheck.builder(List.of("bin/selftest", "--quick"))
 *     .timeout(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class CommandHealthCheck implements HealthCheck {
  /** The default limit on one run of the command: 10 s. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
  /** By default the check fails once the command failed the same way this many times: 5. */
  public static final int DEFAULT_FAIL_FAST_AFTER = 5;
  private static final int OUTPUT_TAIL = 4096;

  private final List<String> command;
  private final Duration interval;
  private final Duration timeout;
  private final Duration commandTimeout;
  private final int failFastAfter;
  private final Clock clock;
  private final Sleeper sleeper;

  private CommandHealthCheck(Builder b) {
    this.command = List.copyOf(b.command);
    this.interval = b.interval;
    this.timeout = b.timeout;
    this.commandTimeout = b.commandTimeout;
    this.failFastAfter = b.failFastAfter;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
  }

  /** A check running {@code command} (program and arguments) with the default timings. */
  public static CommandHealthCheck of(String... command) {
    return builder(List.of(command)).build();
  }

  /** A builder for a check running {@code command} (program and arguments, at least one). */
  public static Builder builder(List<String> command) {
    return new Builder(command);
  }

  @Override
  public void check(UpdateContext context) throws Exception {
    Objects.requireNonNull(context, "context");
    HealthPolling.poll("'" + String.join(" ", command) + "'", interval, timeout, failFastAfter,
        clock, sleeper,
        remaining -> runOnce(context, remaining));
  }

  private void runOnce(UpdateContext context, Duration remaining) throws Exception {
    Duration limit = remaining.compareTo(commandTimeout) < 0 ? remaining : commandTimeout;
    Command attempt = Command.builder(command).directory(context.releaseDir())
        .variable("UPDATER_VERSION", context.to().toString())
        .variable("UPDATER_RELEASE_DIR", context.releaseDir().toString())
        .timeout(limit.toMillis() < 1 ? Duration.ofMillis(1) : limit)
        .outputLimit(OUTPUT_TAIL)
        .build();
    CommandResult result;
    try {
      result = attempt.run();
    } catch (IOException e) {
      throw new IOException("cannot start: " + e.getMessage(), e);
    }
    String tail = result.output().isEmpty() ? "" : ": " + result.output();
    if (result.timedOut()) {
      throw new IOException("still running after " + HealthPolling.describe(limit)
          + " and was killed" + tail);
    }
    if (result.exitCode() != 0) {
      throw new IOException("exited " + result.exitCode() + tail);
    }
  }

  @Override
  public String toString() {
    return String.join(" ", command);
  }

  /**
   * Configures a {@link CommandHealthCheck}. Setters reject bad values at once and return
   * {@code this}. Not thread-safe.
   */
  public static final class Builder {
    private final List<String> command;
    private Duration interval = HttpHealthCheck.DEFAULT_INTERVAL;
    private Duration timeout = HttpHealthCheck.DEFAULT_TIMEOUT;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private int failFastAfter = DEFAULT_FAIL_FAST_AFTER;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;

    private Builder(List<String> command) {
      Objects.requireNonNull(command, "command");
      List<String> copy = new ArrayList<>();
      for (String part : command) {
        copy.add(Objects.requireNonNull(part, "command part"));
      }
      if (copy.isEmpty() || copy.get(0).isBlank()) {
        throw new IllegalArgumentException("command must name a program");
      }
      this.command = copy;
    }

    /** Time between attempts; default 1 s. */
    public Builder interval(Duration interval) {
      this.interval = HttpHealthCheck.Builder.positive(interval, "interval");
      return this;
    }

    /** How long to keep trying after the first attempt; default 60 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = HttpHealthCheck.Builder.positive(timeout, "timeout");
      return this;
    }

    /** The limit on one run of the command; default 10 s. */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = HttpHealthCheck.Builder.positive(commandTimeout, "commandTimeout");
      return this;
    }

    /**
     * Fails at once, without waiting for the timeout, when the command failed the same way (the
     * same exit status and output) this many times in a row; default {@value
     * #DEFAULT_FAIL_FAST_AFTER}; 0 never fails early. A command whose output changes (a
     * counter, a time) is tried until the timeout.
     */
    public Builder failFastAfter(int times) {
      this.failFastAfter = HttpHealthCheck.Builder.notNegative(times);
      return this;
    }

    /** The clock that measures the timeout; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What waits between attempts; default {@link Sleeper#SYSTEM}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public CommandHealthCheck build() {
      return new CommandHealthCheck(this);
    }
  }
}
