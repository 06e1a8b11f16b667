package dev.updater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * SHA-256 digests as a release repository writes them (lower-case hex), computed with the JDK's
 * own {@link MessageDigest} and nothing of the updater, so a test's expected values do not depend
 * on the code under test.
 *
 * <pre>{@code
 * byte[] archive = ReleaseArchives.tarGz(Map.of("VERSION", "1.1.0"));
 * Artifact artifact = new Artifact("app.tar.gz", archive.length, Digests.sha256(archive),
 *     "releases/1.1.0/app.tar.gz");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Digests {
  private Digests() {}

  /** The SHA-256 of {@code bytes}, 64 lower-case hex digits. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newSha256().digest(Objects.requireNonNull(bytes, "bytes")));
  }

  /** The SHA-256 of the UTF-8 bytes of {@code text}, 64 lower-case hex digits. */
  public static String sha256(String text) {
    return sha256(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
  }

  /** The SHA-256 of the content of {@code file}, 64 lower-case hex digits. */
  public static String sha256(Path file) {
    try {
      return sha256(Files.readAllBytes(Objects.requireNonNull(file, "file")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
