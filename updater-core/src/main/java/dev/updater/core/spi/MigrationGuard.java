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
  }
}
