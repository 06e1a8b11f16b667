package dev.updater.jdbc;

/**
 * Thrown by {@link SqlMigrationRunner} and {@link CommandMigrationRunner} when migrations cannot
 * run or fail: a badly named or duplicated migration file, an applied file that was edited, a
 * statement the database rejected, a command that is missing, exits non-zero or times out. The
 * message names the file or command and what to do; the cause, when there is one, is the driver's
 * or the operating system's error.
 *
 * <p>Thrown from {@code migrate(...)} it makes the pipeline revert the activation (the update
 * fails in its {@code MIGRATE} step with the previous release live again).
 *
 * <pre>{@code
 * try {
 *   SqlMigrationRunner.create(dataSource).migrate(Path.of("migrations"));
 * } catch (MigrationException e) {
 *   log.error("migrations refused: {}", e.getMessage());
 * }
 * }</pre>
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class MigrationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An exception saying what failed. */
  public MigrationException(String message) {
    super(message);
  }

  /** An exception saying what failed, caused by {@code cause}. */
  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
