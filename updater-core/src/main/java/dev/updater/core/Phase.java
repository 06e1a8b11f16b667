package dev.updater.core;

import java.util.Locale;

/**
 * The coarse progress states that an admin panel shows, with the status names of the reference
 * systems: {@code checking}, {@code downloading}, {@code extracting}, {@code restarting},
 * {@code complete} and {@code error}. Each {@link Step} belongs to one phase.
 */
public enum Phase {
  /** No update has run, or the last one was cleared. */
  IDLE,
  /** Preparing the update and verifying that it may run (gates, lock). */
  CHECKING,
  /** Downloading and verifying the release package. */
  DOWNLOADING,
  /** Staging, installing dependencies, activating and migrating. */
  EXTRACTING,
  /** The application is being restarted and confirmed. */
  RESTARTING,
  /** The update finished successfully. */
  COMPLETE,
  /** The update failed; the status carries the error. */
  ERROR;

  /** The lower-case status name, such as {@code downloading}. */
  public String statusName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
