package dev.updater.core.admin;

import java.util.Objects;

/**
 * An in-app notification about an update, made by {@link UpdateNotifications} from the pipeline's
 * events: one when an operation starts, one when it enters each phase, and one when it completes,
 * is rolled back or fails (with the error).
 *
 * <pre>{@code
 * {"kind":"FAILED","operation":"install","fromVersion":"1.1.0","toVersion":"1.2.0",
 *  "phase":"error","message":"Update to 1.2.0 failed: CONFIRM of 1.2.0 failed: ...",
 *  "error":{"reason":"HEALTH_CHECK_FAILED", ...}}
 * }</pre>
 *
 * <p>Immutable and thread-safe. A JSON body: absent values are {@code null}.
 *
 * @param kind what happened
 * @param operation {@code install}, {@code rollback}, {@code repair} or {@code recovery}
 * @param fromVersion the release live before the operation, if any
 * @param toVersion the version the operation aims at
 * @param phase the phase's status name: {@code checking}, {@code downloading}, {@code extracting},
 *     {@code restarting}, {@code complete} or {@code error}
 * @param message a sentence to show the admin
 * @param error the failure, for {@link Kind#FAILED}
 */
public record Notification(Kind kind, String operation, String fromVersion, String toVersion,
    String phase, String message, AdminError error) {

  /** What a notification is about. */
  public enum Kind {
    /** An update, rollback or repair started. */
    STARTED,
    /** The operation entered a new phase ({@link Notification#phase()}). */
    PHASE,
    /** The operation finished successfully. */
    COMPLETED,
    /** The live release was switched back (after a failure, or on request). */
    ROLLED_BACK,
    /** The operation failed; {@link Notification#error()} says why. */
    FAILED
  }

  public Notification {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(toVersion, "toVersion");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
  }
}
