/**
 * Database parts for an updater whose host keeps its data in a SQL database: provider detection
 * ({@link dev.updater.jdbc.DatabaseProvider}), the compatibility gate that refuses a release the
 * database cannot run ({@link dev.updater.jdbc.DatabaseCompatibilityGate}), a guard that aborts a
 * migration that loses rows ({@link dev.updater.jdbc.RowCountGuard}), and an update lock shared by
 * every node on one database ({@link dev.updater.jdbc.JdbcLockStore}), migration runners for SQL
 * files and for a release's own tool ({@link dev.updater.jdbc.SqlMigrationRunner},
 * {@link dev.updater.jdbc.CommandMigrationRunner}), backups of the shared data
 * ({@link dev.updater.jdbc.BackupStep}), and the fleet table with its halt gate
 * ({@link dev.updater.jdbc.FleetStatus}, {@link dev.updater.jdbc.FleetHaltGate}).
 *
 * <p>Everything here needs only JDBC: pass the host's {@link javax.sql.DataSource}. See
 * {@code docs/database.md}.
 */
package dev.updater.jdbc;
