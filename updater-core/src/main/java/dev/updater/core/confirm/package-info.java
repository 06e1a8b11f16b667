/**
 * Confirming that a new release works, and rolling it back when it does not: the health checks
 * {@link dev.updater.core.confirm.HttpHealthCheck} (a URL that answers 2xx, optionally naming the
 * new version) and {@link dev.updater.core.confirm.CommandHealthCheck} (a command that exits 0);
 * the {@link dev.updater.core.confirm.Watcher}, a detached JVM that rolls back a release that
 * does not confirm by its deadline; and the {@link dev.updater.core.confirm.Launcher}, a
 * supervisor for hosts without systemd or pm2 that applies the same rule even when the new
 * release's JVM never starts.
 *
 * <pre>{@code
 * Updater.builder()
 *     .healthCheck(HttpHealthCheck.builder(URI.create("http://127.0.0.1:8080/api/health"))
 *         .versionField("version").build())
 *     ...
 * }</pre>
 *
 * <p>See {@code docs/confirmation.md}.
 */
package dev.updater.core.confirm;
