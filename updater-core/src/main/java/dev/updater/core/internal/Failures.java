package dev.updater.core.internal;

import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Version;
import dev.updater.core.spi.DataLossException;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.InvalidLayoutException;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.VerificationException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;

/** Turns what a port threw into an {@link UpdateException} with the right reason. Not API. */
public final class Failures {
  private Failures() {}

  static UpdateException translate(Step step, Version target, Throwable e) {
    if (e instanceof UpdateException u) {
      return u;
    }
    if (e instanceof InterruptedException || e instanceof InterruptedIOException) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new UpdateException(Reason.INTERRUPTED, step,
          step + " of " + target + " was interrupted; run the operation again", e);
    }
    Reason reason = reasonFor(step, e);
    return new UpdateException(reason, step,
        step + " of " + target + " failed: " + describe(e) + advice(reason), e);
  }

  private static Reason reasonFor(Step step, Throwable e) {
    if (e instanceof RejectedArchiveException) {
      return Reason.ARCHIVE_REJECTED;
    }
    if (e instanceof VerificationException) {
      return Reason.VERIFICATION_FAILED;
    }
    if (e instanceof InvalidLayoutException) {
      return Reason.INVALID_LAYOUT;
    }
    if (e instanceof IncompatibleReleaseException) {
      return Reason.INCOMPATIBLE;
    }
    if (e instanceof DataLossException) {
      return Reason.DATA_LOSS;
    }
    switch (step) {
      case DOWNLOAD:
        return e instanceof FileSystemException ? Reason.IO_ERROR : Reason.SOURCE_UNAVAILABLE;
      case MIGRATE:
        return Reason.MIGRATION_FAILED;
      case RESTART:
        return Reason.RESTART_FAILED;
      case CONFIRM:
        return Reason.HEALTH_CHECK_FAILED;
      default:
        return Reason.IO_ERROR;
    }
  }

  public static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static String advice(Reason reason) {
    switch (reason) {
      case SOURCE_UNAVAILABLE:
        return "; check the network and the update source, then try again";
      case IO_ERROR:
        return "; check permissions and free space in the install's home, then try again";
      case MIGRATION_FAILED:
        return "; the previous release was put back; fix the migration and publish a new release";
      case HEALTH_CHECK_FAILED:
        return "; the previous release was put back and restarted";
      default:
        return "";
    }
  }
}
