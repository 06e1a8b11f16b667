/**
 * The published format of an update repository, for {@code updater publish} and for anyone who
 * writes their own update server or publishing step: {@link
 * dev.updater.core.repository.IndexFormat} reads and writes a channel's index exactly as an updater does, and the publisher writes the
 * per-file manifests and the content-addressed {@code objects/} of delta installs.
 *
 * <pre>{@code
 * byte[] json = IndexFormat.write(index);     // canonical bytes: sign these
 * ReleaseIndex back = IndexFormat.read(json); // refuses what an updater would refuse
 * }</pre>
 *
 * <p>The layout and every field are described in {@code docs/repository.md}.
 */
package dev.updater.core.repository;
