package dev.updater.core.spi;

import java.io.IOException;

/**
 * Thrown by a port when metadata or an artifact is not what it claims to be: malformed, unsigned,
 * tampered, expired. The pipeline reports it as
 * {@link dev.updater.core.UpdateException.Reason#VERIFICATION_FAILED}.
 */
public class VerificationException extends IOException {
  private static final long serialVersionUID = 1L;

  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
