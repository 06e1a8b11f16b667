package dev.updater.core.admin;

import java.util.Objects;

/**
 * An answer of {@link UpdateAdmin}: the HTTP status a web host should send and the body to
 * serialize as JSON.
 *
 * <pre>{@code
 * AdminResponse<AdminAnswer> r = admin.install(false);
 * byte[] json = objectMapper.writeValueAsBytes(r.body());
 * exchange.sendResponseHeaders(r.status(), json.length);
 * }</pre>
 *
 * <p>Statuses: {@code 200} done or nothing to do, {@code 202} accepted and running in the
 * background, {@code 409} refused because of the install's state (another update or rollback in
 * progress, an incompatible database, no previous release), {@code 502} the update source could
 * not be read or its metadata was refused, {@code 400} a request naming no valid version,
 * {@code 404} a release that is not there (such as one to unquarantine), {@code 500} any other
 * failure.
 *
 * <p>Immutable and thread-safe when the body is.
 *
 * @param status the suggested HTTP status
 * @param body the JSON-ready body
 * @param <T> the body type
 */
public record AdminResponse<T>(int status, T body) {
  /** 200: done, or nothing to do. */
  public static final int OK = 200;
  /** 202: accepted; the operation runs in the background, follow it with progress(). */
  public static final int ACCEPTED = 202;
  /** 400: the request names no valid version; the body says why. */
  public static final int BAD_REQUEST = 400;
  /** 404: the release the request names is not there (not quarantined, say). */
  public static final int NOT_FOUND = 404;
  /** 409: refused because of the install's current state; the body says why. */
  public static final int CONFLICT = 409;
  /** 500: the operation failed. */
  public static final int ERROR = 500;
  /** 502: the update source could not be read, or its metadata was refused. */
  public static final int BAD_GATEWAY = 502;

  public AdminResponse {
    Objects.requireNonNull(body, "body");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP status, was " + status);
    }
  }

  /** True for a 2xx status. */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
