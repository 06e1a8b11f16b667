package dev.updater.core.spi;

import java.io.IOException;

/**
 * Thrown by a {@link Stager} when an archive is unsafe (path traversal, absolute paths, links
 * leaving the release, device files, duplicate entries, too many entries or bytes) or corrupt. The
 * pipeline reports it as {@link dev.updater.core.UpdateException.Reason#ARCHIVE_REJECTED}.
 */
public class RejectedArchiveException extends IOException {
  private static final long serialVersionUID = 1L;

  public RejectedArchiveException(String message) {
    super(message);
  }

  public RejectedArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
