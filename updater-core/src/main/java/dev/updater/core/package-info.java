/**
 * The API a host application touches: {@link dev.updater.core.Updater} and its builder, the domain
 * ({@link dev.updater.core.Version}, {@link dev.updater.core.Release}, events, results, status,
 * errors), the signing keys ({@link dev.updater.core.trust.SigningKey}, {@link
 * dev.updater.core.trust.TrustedKeys}), and the default adapters that need only the JDK and the core
 * dependencies ({@link dev.updater.core.source.DirectoryReleaseSource}, {@link
 * dev.updater.core.source.HttpReleaseSource}, {@link dev.updater.core.stage.ArchiveStager}, {@link
 * dev.updater.core.activate.SymlinkActivator}, {@link dev.updater.core.activate.FileLockStore}, {@link
 * dev.updater.core.admin.HttpTelemetrySink}). How an install takes updates on its own: {@link
 * dev.updater.core.UpdateMode} and the {@link dev.updater.core.UpdateScheduler} with its {@link
 * dev.updater.core.MaintenanceWindow}; the admin API is in {@code dev.updater.core.admin}.
 */
package dev.updater.core;
