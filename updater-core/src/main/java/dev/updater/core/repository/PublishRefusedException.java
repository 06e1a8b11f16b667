package dev.updater.core.repository;

import java.io.IOException;
import java.util.Objects;

/**
 * {@link ReleasePublisher} refused a publication before writing anything: the repository is
 * exactly as it was. {@link #reason()} says why, for a caller that words its own advice (a command
 * line names its option, a build plugin its parameter); the message says what is wrong and what to
 * do in general terms.
 *
 * <p>Immutable.
 */
public final class PublishRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a publication was refused. */
  public enum Reason {
    /** The channel's index is signed, but the publisher was given no key. */
    KEY_REQUIRED,
    /** The channel's index does not verify with the publisher's key: another key, or tampering. */
    INDEX_NOT_VERIFIED,
    /** The version is already published with other bytes. */
    VERSION_EXISTS,
    /** The channel's index belongs to another application. */
    OTHER_APPLICATION,
    /** A rollout change names a version that is not published. */
    NOT_PUBLISHED,
    /** An install would refuse the artifact (its archive breaks the stager's rules). */
    ARTIFACT_REJECTED
  }

  private final Reason reason;

  /** A refusal for {@code reason}, with a message saying what is wrong and what to do. */
  public PublishRefusedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the publication was refused. */
  public Reason reason() {
    return reason;
  }
}
