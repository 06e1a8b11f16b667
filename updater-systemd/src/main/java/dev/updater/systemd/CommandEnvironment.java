package dev.updater.systemd;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the restarters run their commands: the environment variables the commands see
 * (whose {@code PATH} also decides where {@code pm2}, {@code systemctl} and {@code sudo} are
 * looked up), the timeout for detection commands ({@code pm2 describe}, {@code systemctl show},
 * {@code sudo -n -l}) and the timeout for the restart command itself.
 *
 * <pre>{@code
 * CommandEnvironment commands = CommandEnvironment.system().toBuilder()
 *     .variable("PATH", "/usr/local/bin:/usr/bin:/bin")
 *     .restartTimeout(Duration.ofMinutes(2))
 *     .build();
 * Restarter restarter = Restarters.firstAvailable("myapp", commands);
 * }</pre>
 *
 * <p>{@link #system()} copies {@code System.getenv()} when called; nothing here ever changes the
 * JVM's environment, so tests can put stand-in commands first on a PATH of their own. Defaults:
 * 5 s per detection command, 30 s for a restart. Immutable and thread-safe.
 */
public final class CommandEnvironment {
  /** The default timeout of each detection command. */
  public static final Duration DEFAULT_DETECTION_TIMEOUT = Duration.ofSeconds(5);
  /** The default timeout of a restart command. */
  public static final Duration DEFAULT_RESTART_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, String> variables;
  private final Duration detectionTimeout;
  private final Duration restartTimeout;

  private CommandEnvironment(Builder builder) {
    this.variables = Map.copyOf(builder.variables);
    this.detectionTimeout = builder.detectionTimeout;
    this.restartTimeout = builder.restartTimeout;
  }

  /** The JVM's environment as it is now ({@code System.getenv()}), with the default timeouts. */
  public static CommandEnvironment system() {
    return builder().variables(System.getenv()).build();
  }

  /** A builder with no variables (so no PATH: nothing is found) and the default timeouts. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this environment's settings. */
  public Builder toBuilder() {
    return new Builder().variables(variables).detectionTimeout(detectionTimeout)
        .restartTimeout(restartTimeout);
  }

  /** The variables every command sees; an unmodifiable copy. */
  public Map<String, String> variables() {
    return variables;
  }

  /** The timeout of each detection command. */
  public Duration detectionTimeout() {
    return detectionTimeout;
  }

  /** The timeout of a restart command. */
  public Duration restartTimeout() {
    return restartTimeout;
  }

  @Override
  public String toString() {
    return "CommandEnvironment[PATH=" + variables.getOrDefault("PATH", "") + ", detectionTimeout="
        + detectionTimeout + ", restartTimeout=" + restartTimeout + "]";
  }

  /**
   * Builds a {@link CommandEnvironment}; every setter rejects null and bad values at once.
   * Not thread-safe; {@link #build()} returns an immutable copy.
   */
  public static final class Builder {
    private final Map<String, String> variables = new LinkedHashMap<>();
    private Duration detectionTimeout = DEFAULT_DETECTION_TIMEOUT;
    private Duration restartTimeout = DEFAULT_RESTART_TIMEOUT;

    private Builder() {}

    /** Replaces all variables with a copy of {@code variables}. */
    public Builder variables(Map<String, String> variables) {
      Objects.requireNonNull(variables, "variables");
      Map<String, String> copy = new LinkedHashMap<>();
      variables.forEach((name, value) -> copy.put(
          Objects.requireNonNull(name, "variable name"),
          Objects.requireNonNull(value, "value of " + name)));
      this.variables.clear();
      this.variables.putAll(copy);
      return this;
    }

    /** Sets one variable, for example {@code PATH}. */
    public Builder variable(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || name.indexOf('=') >= 0) {
        throw new IllegalArgumentException("invalid variable name: '" + name + "'");
      }
      variables.put(name, value);
      return this;
    }

    /** The timeout of each detection command; positive. */
    public Builder detectionTimeout(Duration timeout) {
      this.detectionTimeout = positive(timeout, "detectionTimeout");
      return this;
    }

    /** The timeout of a restart command; positive. */
    public Builder restartTimeout(Duration timeout) {
      this.restartTimeout = positive(timeout, "restartTimeout");
      return this;
    }

    /** An immutable environment with these settings. */
    public CommandEnvironment build() {
      return new CommandEnvironment(this);
    }

    private static Duration positive(Duration timeout, String name) {
      Objects.requireNonNull(timeout, name);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + timeout);
      }
      return timeout;
    }
  }
}
