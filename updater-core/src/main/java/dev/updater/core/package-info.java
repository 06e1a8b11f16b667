/**
 * The API a host application touches: {@link dev.updater.core.Updater} and its builder, the domain
 * ({@link dev.updater.core.Version}, {@link dev.updater.core.Release}, events, results, status,
 * errors), and the default adapters that need only the JDK ({@link
 * dev.updater.core.DirectoryReleaseSource}, {@link dev.updater.core.ArchiveStager}, {@link
 * dev.updater.core.SymlinkActivator}, {@link dev.updater.core.FileLockStore}).
 */
package dev.updater.core;
