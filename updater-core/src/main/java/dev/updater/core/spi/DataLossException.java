package dev.updater.core.spi;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Thrown by a {@link MigrationGuard.Check} when data disappeared during a migration. Carries each
 * measured quantity that dropped; the pipeline reports it as
 * {@link dev.updater.core.UpdateException.Reason#DATA_LOSS} and reverts the activation.
 */
public class DataLossException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * One quantity that dropped.
   *
   * @param what what was measured, such as a table name
   * @param before the value before the migration
   * @param after the value after it
   */
  public record Loss(String what, long before, long after) {
    public Loss {
      Objects.requireNonNull(what, "what");
    }

    @Override
    public String toString() {
      return what + " " + before + " -> " + after;
    }
  }

  private final List<Loss> losses;

  /** A single quantity that dropped from {@code before} to {@code after}. */
  public DataLossException(String what, long before, long after) {
    this(List.of(new Loss(what, before, after)));
  }

  /** Several quantities that dropped; at least one. */
  public DataLossException(List<Loss> losses) {
    super("data lost during migration: " + losses.stream().map(Loss::toString)
        .collect(Collectors.joining(", ")));
    if (losses.isEmpty()) {
      throw new IllegalArgumentException("a data loss needs at least one loss");
    }
    this.losses = List.copyOf(losses);
  }

  /** What dropped, with before and after values. */
  public List<Loss> losses() {
    return losses;
  }
}
