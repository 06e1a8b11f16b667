/**
 * The JDBC module's workings: connections, table lookup in the database's metadata, and the SQL of
 * the lock table per database. Not API: anything here may change in any release.
 */
package dev.updater.jdbc.internal;
