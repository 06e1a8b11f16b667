/**
 * Making a staged release the live one, and one update at a time:
 * {@link dev.updater.core.activate.SymlinkActivator} switches {@code <home>/current} to {@code
 * releases/<version>} with one atomic rename, links the shared paths ({@code data}, {@code
 * config}, ...) into each release and keeps the newest few; {@link
 * dev.updater.core.activate.FileLockStore} is the update lock of one install, a file with a
 * fencing token and an expiry. {@link dev.updater.core.activate.SingleFileActivator} installs a
 * release that is one file (a binary or a jar) at a fixed path by rename, keeping the previous
 * one as {@code .bak}. {@link dev.updater.core.activate.PointerActivator} names the live release
 * in a pointer file, for file systems without symbolic links.
 *
 * <pre>{@code
 * Layout layout = Layout.of(Path.of("/opt/myapp"));
 * Updater.builder()
 *     .activator(SymlinkActivator.builder(layout).shared("data", "config", "logs").build())
 *     .lockStore(FileLockStore.create(layout.state().resolve("lock.json")))
 *     ...
 * }</pre>
 *
 * <p>See {@code docs/activation-and-locking.md} and {@code docs/deployment-shapes.md}.
 */
package dev.updater.core.activate;
