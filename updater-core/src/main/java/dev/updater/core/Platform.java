package dev.updater.core;

import java.util.Locale;
import java.util.Objects;

/**
 * An operating system and processor architecture that an artifact is built for, written {@code
 * <os>-<arch>}: {@code linux-x86_64}, {@code linux-aarch64}, {@code darwin-aarch64}, {@code
 * windows-x86_64}. A release may carry one artifact per platform; an install takes the one for
 * the platform it runs on ({@link #current()}, or the one given to {@link
 * Updater.Builder#platform}).
 *
 * <pre>{@code
 * Platform here = Platform.current();                     // linux-x86_64 on a 64-bit Intel Linux
 * Platform mac = Platform.parse("darwin-aarch64");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param os the operating system, lower case: {@code linux}, {@code darwin}, {@code windows},
 *     {@code freebsd}, ...
 * @param arch the architecture, lower case: {@code x86_64}, {@code aarch64}, {@code x86}, {@code
 *     arm}, ...
 */
public record Platform(String os, String arch) {

  /** Checks that both parts are lower-case names of letters, digits and {@code _}. */
  public Platform {
    check(Objects.requireNonNull(os, "os"), "os");
    check(Objects.requireNonNull(arch, "arch"), "arch");
  }

  /**
   * Parses {@code <os>-<arch>}, such as {@code linux-x86_64}.
   *
   * @throws IllegalArgumentException naming what is wrong and the expected form
   */
  public static Platform parse(String text) {
    Objects.requireNonNull(text, "text");
    int dash = text.indexOf('-');
    if (dash <= 0 || dash == text.length() - 1 || text.indexOf('-', dash + 1) >= 0) {
      throw new IllegalArgumentException("platform '" + text + "' is not <os>-<arch>, such as "
          + "linux-x86_64, linux-aarch64, darwin-aarch64 or windows-x86_64");
    }
    return new Platform(text.substring(0, dash), text.substring(dash + 1));
  }

  /** The platform this JVM runs on, from the {@code os.name} and {@code os.arch} properties. */
  public static Platform current() {
    return fromProperties(System.getProperty("os.name", "unknown"),
        System.getProperty("os.arch", "unknown"));
  }

  /**
   * The platform named by values of the {@code os.name} and {@code os.arch} system properties,
   * in the names used here: {@code Mac OS X} is {@code darwin}, {@code amd64} is {@code x86_64},
   * {@code arm64} is {@code aarch64}.
   */
  public static Platform fromProperties(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      os = "darwin";
    } else if (os.startsWith("windows")) {
      os = "windows";
    } else {
      os = os.replaceAll("[^a-z0-9_]", "");
    }
    String arch = osArch.toLowerCase(Locale.ROOT);
    switch (arch) {
      case "amd64", "x86_64", "x64" -> arch = "x86_64";
      case "aarch64", "arm64" -> arch = "aarch64";
      case "x86", "i386", "i486", "i586", "i686" -> arch = "x86";
      default -> arch = arch.replaceAll("[^a-z0-9_]", "");
    }
    return new Platform(os.isEmpty() ? "unknown" : os, arch.isEmpty() ? "unknown" : arch);
  }

  /** {@code <os>-<arch>}, as {@link #parse} reads it. */
  @Override
  public String toString() {
    return os + "-" + arch;
  }

  private static void check(String part, String what) {
    if (!part.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("platform " + what + " '" + part + "' must be lower-case "
          + "letters, digits and '_', such as linux or x86_64");
    }
  }
}
