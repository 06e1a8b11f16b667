/**
 * The {@code ./demo} driver: builds releases of the example application, publishes them into a
 * signed update repository served over HTTP, installs the first, supervises the application's
 * processes and walks through an update, a failed update and its automatic rollback.
 */
package dev.updater.examples.demo;
