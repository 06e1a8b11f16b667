package dev.updater.core.admin;

import java.util.Objects;

/**
 * The body of an answer to an action (install, repair, rollback, clear error).
 *
 * <pre>{@code
 * {"result":"accepted","operation":"install","version":"1.1.0",
 *  "message":"installing 1.1.0 in the background; follow it at progress()","reason":null}
 * {"result":"conflict","operation":"install","version":null,
 *  "message":"another update or rollback is in progress ...","reason":"LOCKED"}
 * }</pre>
 *
 * <p>Immutable and thread-safe. A JSON body: absent values are {@code null}.
 *
 * @param result {@code accepted} (202), {@code done} or {@code up-to-date} (200), {@code conflict}
 *     (409) or {@code error} (500, 502)
 * @param operation {@code install}, {@code repair}, {@code rollback}, {@code clear-error} or
 *     {@code unquarantine}
 * @param version the version the operation aims at, when known
 * @param message what happened and, when refused, what to do
 * @param reason the {@link dev.updater.core.UpdateException.Reason} name when refused or failed
 *     (such as {@code LOCKED}, {@code INCOMPATIBLE}, {@code INVALID_STATE}), else null
 */
public record AdminAnswer(String result, String operation, String version, String message,
    String reason) {
  /** The operation runs in the background. */
  public static final String ACCEPTED = "accepted";
  /** The operation finished. */
  public static final String DONE = "done";
  /** Nothing to install: the install is up to date. */
  public static final String UP_TO_DATE = "up-to-date";
  /** Refused because of the install's state; {@link #reason()} says which. */
  public static final String CONFLICT = "conflict";
  /** The operation could not be started. */
  public static final String ERROR = "error";

  public AdminAnswer {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(message, "message");
  }
}
