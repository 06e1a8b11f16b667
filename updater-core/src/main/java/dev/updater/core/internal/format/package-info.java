/**
 * The published JSON formats, read and written strictly: the channel index, the per-file manifest
 * (one document, or a root and its pages) and the paths of content-addressed objects. Shared by
 * the sources, the stager, the engine and the publisher, so that all of them accept exactly the
 * same documents.
 *
 * <p>Not API: this package is not exported; {@code dev.updater.core.repository} is the public way
 * to read and write these formats.
 */
package dev.updater.core.internal.format;
