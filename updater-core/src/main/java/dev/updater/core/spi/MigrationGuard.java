package dev.updater.core.spi;

import dev.updater.core.UpdateContext;

/**
 * A check around migrations: takes a snapshot before anything changes and, after the migration,
 * verifies that nothing was lost (row counts that must not drop, a backup that must exist).
 *
 * <p>{@link #snapshot} is called in the {@code BACKUP} step, before activation; the returned
 * {@link Check} is called after the migration runner. If a check throws
 * {@link DataLossException}, the pipeline reverts the activation and fails with
 * {@link dev.updater.core.UpdateException.Reason#DATA_LOSS}.
 *
 * <pre>{@code
 * MigrationGuard guard = ctx -> {
 *   long before = countOrders();
 *   return () -> { if (countOrders() < before) throw new DataLossException("orders", before, countOrders()); };
 * };
 * }</pre>
 */
@FunctionalInterface
public interface MigrationGuard {

  /** Records the state to protect and returns the check to run after migration. */
  Check snapshot(UpdateContext context) throws Exception;

  /** The check taken by {@link #snapshot}. */
  @FunctionalInterface
  interface Check {
    /** Verifies the state after migration; throws {@link DataLossException} when data was lost. */
    void verify() throws Exception;

    /**
     * Puts the protected state back to the snapshot. Called when the operation fails after the
     * snapshot was taken and the previous release has been made live again (or, for a repair,
     * after it failed), in the order the guards were added. A backup restores its copy here; a
     * guard that only measures does nothing (the default). A failure is logged and reported with
     * the operation's error; it does not stop the other guards from restoring.
     */
    default void restore() throws Exception {}
  }
}
