package dev.updater.core.internal.http;

import dev.updater.core.source.HttpSourceException;
import dev.updater.core.source.HttpSourceException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.NoSuchFileException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong with a request into an exception whose message says what happened, at
 * which address, and what to do: TLS failures by kind, answers that are not the one asked for,
 * and a server that stayed unreachable. No message holds a credential. Not API.
 */
final class HttpErrors {
  private HttpErrors() {}

  /** The typed form of a TLS failure of a request to {@code uri}. */
  static HttpSourceException tls(SSLException e, URI uri, String what) {
    String where = " (" + authority(uri) + ", " + uri + ")";
    if (hasCause(e, CertPathBuilderException.class) || hasCause(e, CertPathValidatorException.class)) {
      return new HttpSourceException(Kind.UNTRUSTED_CERTIFICATE, uri, what + ": the certificate of "
          + "the server" + where + " is not trusted: " + rootMessage(e) + ". If the server uses a "
          + "private certificate authority, configure a trust store holding it (the source's "
          + "trustStore setting, or UPDATER_HTTP_TRUST_STORE for a source opened by URL)", e);
    }
    if (isHostMismatch(e)) {
      return new HttpSourceException(Kind.HOST_NAME_MISMATCH, uri, what + ": the certificate of "
          + "the server" + where + " is not for host " + uri.getHost() + ": " + rootMessage(e)
          + ". Use the host name the certificate was issued for, or a certificate whose subject "
          + "alternative names include " + uri.getHost(), e);
    }
    return new HttpSourceException(Kind.TLS_FAILURE, uri, what + ": the TLS handshake with the "
        + "server" + where + " failed: " + rootMessage(e), e);
  }

  /** A redirect from https to http, refused. */
  static HttpSourceException insecureRedirect(URI from, URI to, String what) {
    return new HttpSourceException(Kind.INSECURE_REDIRECT, from, what + ": " + from
        + " redirects to " + to + ", which leaves https; such a redirect is never followed. Make "
        + "the server redirect to an https URL", null);
  }

  /** The answer {@code response} that is not the one asked for. */
  static IOException unexpected(HttpResponse<?> response, String what, Credentials credentials) {
    int code = response.statusCode();
    URI uri = response.uri();
    if (code == 404 || code == 410) {
      return new NoSuchFileException(uri.toString(), null,
          what + " is not on the server (HTTP " + code + ")");
    }
    if (code == 401 || code == 403) {
      return refused(code, uri, what, credentials);
    }
    boolean transientStatus = code == 408 || code == 429 || code >= 500;
    Optional<Duration> retryAfter = Optional.empty();
    if (code == 429 || code == 503) {
      retryAfter = response.headers().firstValue("Retry-After").flatMap(HttpErrors::seconds);
    }
    String detail = code >= 300 && code < 400
        ? " (a redirect to " + response.headers().firstValue("Location").orElse("nowhere")
            + " that is not followed)" : "";
    return new HttpTransport.Status(what + ": HTTP " + code + " from " + uri + detail,
        transientStatus, retryAfter);
  }

  private static HttpSourceException refused(int code, URI uri, String what,
      Credentials credentials) {
    Kind kind = code == 401 ? Kind.UNAUTHORIZED : Kind.FORBIDDEN;
    String answer = what + ": HTTP " + code + " from " + uri + (code == 401
        ? ": the server wants credentials" : ": the server refuses access to this file");
    String advice;
    if (!credentials.present()) {
      advice = "; no Authorization header was sent: set one with " + credentials.configuredBy()
          + " (for example 'Bearer <token>')";
    } else if (!credentials.allowedFor(uri)) {
      advice = "; the Authorization header set with " + credentials.configuredBy() + " is sent "
          + "only to " + credentials.origin().map(HttpErrors::origin).orElse("its origin")
          + ", not to " + origin(uri);
    } else {
      advice = "; the Authorization header set with " + credentials.configuredBy() + " was "
          + (code == 401 ? "not accepted" : "accepted but does not allow this file")
          + ": check its value (it is never shown)";
    }
    return new HttpSourceException(kind, uri, answer + advice, null);
  }

  /** A server that could not be reached, or kept failing, after {@code attempts}. */
  static IOException gaveUp(IOException last, URI uri, String what, int attempts,
      Duration elapsed) {
    String tries = " after " + attempts + " attempt(s) over " + elapsed.toMillis() + " ms";
    if (last instanceof HttpTransport.Status status) {
      return new HttpTransport.Status(status.getMessage() + "; gave up" + tries, false,
          Optional.empty());
    }
    String cause = last.getMessage() == null || last.getMessage().isBlank()
        ? last.getClass().getSimpleName() : last.getClass().getSimpleName() + ": "
            + last.getMessage();
    boolean connecting = last instanceof ConnectException
        || last instanceof HttpConnectTimeoutException || last instanceof UnknownHostException
        || last.getCause() instanceof UnresolvedAddressException;
    return new HttpSourceException(Kind.UNREACHABLE, uri, what + ": "
        + (connecting ? "cannot reach " : "no complete answer from ") + authority(uri) + " ("
        + uri + ")" + tries + "; last failure: " + cause + (connecting
            ? ". Check that the server runs and that this address is the right one"
            : ". Check the server and the network between it and this machine"), last);
  }

  static String authority(URI uri) {
    int port = uri.getPort() != -1 ? uri.getPort()
        : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    return uri.getHost() + ":" + port;
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + authority(uri);
  }

  private static boolean isHostMismatch(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException && t.getMessage() != null
          && (t.getMessage().startsWith("No subject alternative")
              || t.getMessage().startsWith("No name matching"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static Optional<Duration> seconds(String value) {
    try {
      long s = Long.parseLong(value.trim());
      return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP-date: the backoff applies
    }
  }
}
