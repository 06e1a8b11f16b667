package dev.updater.cli;

import dev.updater.core.UpdateException;

/**
 * The exit codes of the {@code updater} command, documented in {@code docs/cli.md}. A script can
 * tell "try again later" (5) from "someone must look at this" (4) without reading the message.
 */
final class Exit {
  /** The command did what was asked (also: "up to date"). */
  static final int OK = 0;
  /** The operation failed: I/O, download, staging, migration, restart, health check. */
  static final int FAILED = 1;
  /** The command line is wrong: unknown command or option, missing or malformed value. */
  static final int USAGE = 2;
  /**
   * Refused because of the state of the install or repository: another update holds the lock, the
   * release is incompatible or older, no previous release to roll back to, a key or a published
   * version would be overwritten.
   */
  static final int REFUSED = 3;
  /** A signature, size or digest check failed, or metadata or an archive is malformed or unsafe. */
  static final int VERIFICATION = 4;
  /** The update source cannot be read, or does not publish the channel or version asked for. */
  static final int UNAVAILABLE = 5;

  private Exit() {}

  /** The exit code for an {@link UpdateException} of {@code reason}. */
  static int forReason(UpdateException.Reason reason) {
    if (reason.isConflict()) {
      return REFUSED;
    }
    switch (reason) {
      case VERIFICATION_FAILED:
      case ARCHIVE_REJECTED:
        return VERIFICATION;
      case SOURCE_UNAVAILABLE:
        return UNAVAILABLE;
      default:
        return FAILED;
    }
  }
}
