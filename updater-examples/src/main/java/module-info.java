/** The example host application that updates itself, and the driver of the demo. */
module dev.updater.examples {
  requires transitive dev.updater.core;
  requires dev.updater.jdbc;
  requires dev.updater.systemd;
  requires dev.updater.cli;
  requires com.fasterxml.jackson.databind;
  requires org.apache.commons.compress;
  requires jdk.httpserver;
  requires transitive java.sql;
  requires java.net.http;
  requires org.xerial.sqlitejdbc;

  exports dev.updater.examples.app;
  exports dev.updater.examples.demo;
}
