/**
 * The example application: a small web application on the JDK's {@code HttpServer} with a SQLite
 * database, embedding the updater as a vendor would. {@link dev.updater.examples.app.ExampleApp}
 * is its entry point and {@link dev.updater.examples.app.AppUpdater} its updater wiring, the
 * reference embedding described in {@code docs/demo.md}.
 */
package dev.updater.examples.app;
