package dev.updater.core.internal.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Headers that carry a secret (such as {@code Authorization}), the origin they may be sent to, and
 * how a user configures them (named in the error of a 401 or 403 answer). They are sent only to
 * {@code origin} (scheme, host and port; any origin when empty) and never after a redirect to
 * another origin. {@link #toString()} names the headers, never their values. Not API.
 *
 * @param headers the header names and values
 * @param origin the only origin they go to, or empty for the origin of each request
 * @param configuredBy what sets them, for messages, such as "the environment variable X"
 */
public record Credentials(Map<String, String> headers, Optional<URI> origin,
    String configuredBy) {

  /** No credentials; a 401 answer's message then says how to configure them with {@code hint}. */
  public static Credentials none(String hint) {
    return new Credentials(Map.of(), Optional.empty(), hint);
  }

  public Credentials {
    headers = Map.copyOf(headers);
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(configuredBy, "configuredBy");
  }

  /**
   * Checks {@code value} as the value of an {@code Authorization} header: non-blank printable
   * text on one line. The message of a refusal never shows the value.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static String checkAuthorization(String value, String configuredBy) {
    Objects.requireNonNull(value, "authorization");
    String v = value.strip();
    if (v.isEmpty() || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("the Authorization value set with " + configuredBy
          + " must be non-blank printable text on one line, such as 'Bearer <token>' (the "
          + "value is not shown)");
    }
    return v;
  }

  /** The value of {@code Authorization: Basic} for {@code user} and {@code password} (UTF-8). */
  public static String basic(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a basic-auth user name cannot hold ':'");
    }
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The first line of {@code file} (a mounted secret, say), never shown in a message.
   *
   * @throws UncheckedIOException when it cannot be read
   */
  public static String firstLine(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Authorization file " + file + ": "
          + e.getClass().getSimpleName(), e);
    }
  }

  /** Whether any header is configured. */
  public boolean present() {
    return !headers.isEmpty();
  }

  /** Whether the headers may go with a first request to {@code uri}. */
  boolean allowedFor(URI uri) {
    return origin.map(o -> sameOrigin(o, uri)).orElse(true);
  }

  /** Whether {@code a} and {@code b} have the same scheme, host and port. */
  static boolean sameOrigin(URI a, URI b) {
    return scheme(a).equals(scheme(b))
        && host(a).equals(host(b))
        && port(a) == port(b);
  }

  private static String scheme(URI u) {
    return u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
  }

  private static String host(URI u) {
    return u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return scheme(u).equals("https") ? 443 : 80;
  }

  @Override
  public String toString() {
    return "Credentials" + headers.keySet() + " (values hidden) for "
        + origin.map(URI::toString).orElse("any origin");
  }
}
