/**
 * Making a staged release the live one, and one update at a time:
 * {@link dev.updater.core.activate.SymlinkActivator} switches {@code <home>/current} to {@code
 * releases/<version>} with one atomic rename, links the shared paths ({@code data}, {@code
 * config}, ...) into each release and keeps the newest few; {@link
 * dev.updater.core.activate.FileLockStore} is the update lock of one install, a file with a
 * fencing token and an expiry.
 *
 * <pre>{@code
 * Layout layout = Layout.of(Path.of("/opt/myapp"));
 * Updater.builder()
 *     .activator(SymlinkActivator.builder(layout).shared("data", "config", "logs").build())
 *     .lockStore(FileLockStore.create(layout.state().resolve("lock.json")))
 *     ...
 * }</pre>
 *
 * <p>See {@code docs/activation-and-locking.md}.
 */
package dev.updater.core.activate;
