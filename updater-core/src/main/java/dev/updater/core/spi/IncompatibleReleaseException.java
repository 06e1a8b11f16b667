package dev.updater.core.spi;

/**
 * Thrown by a {@link ReleaseGate} when a release cannot run on this install. The pipeline reports it
 * as {@link dev.updater.core.UpdateException.Reason#INCOMPATIBLE} before anything is downloaded.
 */
public class IncompatibleReleaseException extends Exception {
  private static final long serialVersionUID = 1L;

  public IncompatibleReleaseException(String message) {
    super(message);
  }
}
