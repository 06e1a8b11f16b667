/**
 * File-system workings used across the updater: atomic writes (temporary file, fsync, rename,
 * fsync of the directory), walking, copying and deleting file trees, forcing a tree to disk, and
 * the worker pools that hash and sync files in the background.
 *
 * <p>Not API: this package is not exported, and anything here may change in any release.
 */
package dev.updater.core.internal.io;
