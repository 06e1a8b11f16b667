/**
 * A framework-neutral admin API over an {@link dev.updater.core.Updater}, for the "Software
 * Updates" page of a host's admin panel: {@link dev.updater.core.admin.UpdateAdmin} answers
 * status, install (and repair), rollback, progress, clear-error and unquarantine requests with an
 * {@link dev.updater.core.admin.AdminResponse}: a suggested HTTP status (202 accepted, 200 done or
 * nothing to do, 409 conflict) and a body record that Jackson serializes as it is. A host maps each
 * to a route of its own web framework in a line or two; {@code docs/modes-and-admin.md} shows the
 * mapping to the JDK's {@code HttpServer}.
 *
 * <p>{@link dev.updater.core.admin.UpdateNotifications} turns update events into in-app
 * notifications (started, each phase, completed, failed), and {@link
 * dev.updater.core.admin.HttpTelemetrySink} posts the anonymous telemetry heartbeat.
 *
 * <p>The body records are wire formats: versions and times are strings (ISO-8601 for times) and a
 * value that is absent is {@code null}, so that they serialize to plain JSON without extra Jackson
 * modules. The rest of the API uses {@link java.util.Optional}.
 */
package dev.updater.core.admin;
