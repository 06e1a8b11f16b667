package dev.updater.core.spi;

import java.io.IOException;

/**
 * Thrown by an {@link Activator} when the install directory is not in a state it can switch safely
 * (for example {@code current} is a real directory, or renames are not atomic there). The pipeline
 * reports it as {@link dev.updater.core.UpdateException.Reason#INVALID_LAYOUT}.
 */
public class InvalidLayoutException extends IOException {
  private static final long serialVersionUID = 1L;

  public InvalidLayoutException(String message) {
    super(message);
  }

  public InvalidLayoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
