/**
 * The API a host application touches: {@link dev.updater.core.Updater} and its builder, and the
 * domain it speaks in: {@link dev.updater.core.Version}, {@link dev.updater.core.Release} and
 * {@link dev.updater.core.ReleaseIndex}, the {@link dev.updater.core.Layout} of an install, the
 * pipeline's {@link dev.updater.core.Step}s and {@link dev.updater.core.Phase}s, hooks, events,
 * results, status, history and the one {@link dev.updater.core.UpdateException}. How an install
 * takes updates on its own: {@link dev.updater.core.UpdateMode} and the {@link
 * dev.updater.core.UpdateScheduler} with its {@link dev.updater.core.MaintenanceWindow}.
 *
 * <p>The parts the builder is given live beside it, one package per capability: the ports in
 * {@code spi}; where releases come from in {@code source} (and {@code source.github}); signatures
 * in {@code trust}; turning an artifact into a release tree in {@code stage}; the switch and the
 * lock in {@code activate}; health checks, the watcher and the launcher in {@code confirm}; the
 * published repository format in {@code repository}; the admin facade in {@code admin}. Nothing
 * under {@code dev.updater.core.internal} is API.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(Path.of("/opt/myapp"))
 *     .source(HttpReleaseSource.builder(URI.create("https://updates.example.com/myapp/"))
 *         .trustedKeys(TrustedKeys.read(Path.of("/etc/myapp/updates.pub"))).build())
 *     .build();
 * updater.check().ifPresent(updater::install);
 * }</pre>
 */
package dev.updater.core;
