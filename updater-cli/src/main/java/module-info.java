/** The {@code updater} command line: keygen, publish, serve, check, install, rollback, doctor. */
module dev.updater.cli {
  requires dev.updater.core;
  requires dev.updater.jdbc;
  requires com.fasterxml.jackson.databind;
  requires jdk.httpserver;
  requires java.net.http;
  requires java.sql;

  exports dev.updater.cli;
}
