/**
 * The engine: the pipeline that runs an install step by step through the ports, the run and its
 * journal, crash recovery, confirmation and rollback, the checker with its trust state and check
 * cache, the downloader and the history. Its workings shared with the capability packages are in
 * {@code internal.format}, {@code internal.archive}, {@code internal.io} and {@code
 * internal.http}.
 *
 * <p>Not API: this package is not exported by the module, and anything here may change in any
 * release.
 */
package dev.updater.core.internal;
