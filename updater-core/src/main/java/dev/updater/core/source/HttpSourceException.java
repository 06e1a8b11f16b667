package dev.updater.core.source;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * A request of an HTTP source that failed in a way a person must fix: the server's certificate is
 * not trusted or names another host, a redirect would leave https, the server refused the
 * credentials, or the server could not be reached after every attempt. The message says what
 * happened, where, and what to do; it never holds a credential.
 *
 * <pre>{@code
 * try {
 *   source.index("stable");
 * } catch (HttpSourceException e) {
 *   if (e.kind() == HttpSourceException.Kind.UNTRUSTED_CERTIFICATE) {
 *     log.error("configure a trust store: {}", e.getMessage());
 *   }
 * }
 * }</pre>
 *
 * <p>Thrown by {@link HttpReleaseSource} and {@link dev.updater.core.source.github.GitHubReleaseSource}
 * before any byte of the answer is used; nothing has been written. The pipeline reports it as
 * {@code SOURCE_UNAVAILABLE}. Immutable.
 */
public final class HttpSourceException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The server's certificate does not chain to a trusted certificate (or is expired). */
    UNTRUSTED_CERTIFICATE,
    /** The server's certificate is trusted but names another host than the URL's. */
    HOST_NAME_MISMATCH,
    /** Another TLS failure: no common protocol or cipher, a broken handshake. */
    TLS_FAILURE,
    /** A redirect from an https URL to a plain http one, which is never followed. */
    INSECURE_REDIRECT,
    /** The server answered 401: credentials are missing or not accepted. */
    UNAUTHORIZED,
    /** The server answered 403: the credentials do not allow this file. */
    FORBIDDEN,
    /** No connection or no answer after every attempt (refused, unresolved, timed out). */
    UNREACHABLE
  }

  private final Kind kind;
  private final URI uri;

  /**
   * Creates the exception.
   *
   * @param kind what went wrong
   * @param uri the URL asked for (never with credentials)
   * @param message what happened and what to do
   * @param cause the underlying failure, or {@code null}
   */
  public HttpSourceException(Kind kind, URI uri, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.uri = Objects.requireNonNull(uri, "uri");
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The URL of the failed request. */
  public URI uri() {
    return uri;
  }
}
