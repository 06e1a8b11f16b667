package dev.updater.core.command;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The checks the builders of {@link Command} and {@link CommandHook} share: environment variable
 * names and values, timeouts and output limits. Not API.
 *
 * <p>Stateless and thread-safe.
 */
final class Settings {
  private Settings() {}

  /** A copy of {@code variables}, each name and value checked. */
  static Map<String, String> environment(Map<String, String> variables) {
    Objects.requireNonNull(variables, "variables");
    Map<String, String> copy = new LinkedHashMap<>();
    variables.forEach((name, value) -> copy.put(name(name),
        Objects.requireNonNull(value, "value of " + name)));
    return copy;
  }

  /** {@code name}, when it can name an environment variable. */
  static String name(String name) {
    Objects.requireNonNull(name, "variable name");
    if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid environment variable name: '" + name + "'");
    }
    return name;
  }

  /** {@code timeout}, when it is positive. */
  static Duration timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return timeout;
  }

  /** {@code bytes}, when it is positive. */
  static int outputLimit(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("outputLimit must be positive, was " + bytes);
    }
    return bytes;
  }
}
