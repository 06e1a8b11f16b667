package dev.updater.core;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One downloadable file of a release: its name, exact size and SHA-256, and where to get it.
 *
 * <p>{@code location} is a URL ({@code https://cdn.example.com/app-1.2.0.tar.gz}) or a path relative
 * to the root of the update repository ({@code releases/1.2.0/app-1.2.0.tar.gz}); the
 * {@link dev.updater.core.spi.ReleaseSource} resolves it. The size and digest are the authority: the
 * download stops at {@code size} bytes and the file is used only when its SHA-256 matches.
 *
 * <pre>{@code
 * Artifact a = new Artifact("app-1.2.0.tar.gz", 48_213_504, "9f86d0...", "releases/1.2.0/app-1.2.0.tar.gz");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param name file name, one path segment, such as {@code app-1.2.0.tar.gz}
 * @param size exact length in bytes, not negative
 * @param sha256 lower-case hexadecimal SHA-256 of the whole file (64 characters)
 * @param location URL or repository-relative path of the file
 * @param platform the platform the file is built for, when the release has one file per
 *     platform; empty for a file that serves every platform
 */
public record Artifact(String name, long size, String sha256, String location,
    Optional<Platform> platform) {

  public Artifact {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(platform, "platform");
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".")
        || name.equals("..") || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "artifact name '" + name + "' must be a single file name without path separators");
    }
    if (size < 0) {
      throw new IllegalArgumentException("artifact " + name + ": size must not be negative, was " + size);
    }
    sha256 = sha256.toLowerCase(Locale.ROOT);
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("artifact " + name
          + ": sha256 must be 64 hexadecimal characters, was '" + sha256 + "'");
    }
    if (location.isEmpty()) {
      throw new IllegalArgumentException("artifact " + name + ": location must not be empty");
    }
  }

  /** An artifact that serves every platform. */
  public Artifact(String name, long size, String sha256, String location) {
    this(name, size, sha256, location, Optional.empty());
  }

  /** This artifact, built for {@code platform}. */
  public Artifact withPlatform(Platform platform) {
    return new Artifact(name, size, sha256, location,
        Optional.of(Objects.requireNonNull(platform, "platform")));
  }
}
