/**
 * Databases for the updater: provider detection and the compatibility gate, row-count guards,
 * SQL and command migration runners, backups, and a JDBC lock store for several nodes sharing one
 * database. {@code dev.updater.jdbc.internal} is not exported.
 */
module dev.updater.jdbc {
  requires transitive dev.updater.core;
  requires transitive java.sql;
  requires org.slf4j;

  exports dev.updater.jdbc;
}
