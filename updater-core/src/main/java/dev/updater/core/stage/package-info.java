/**
 * Turning a verified artifact into a release tree: {@link dev.updater.core.stage.ArchiveStager},
 * the default {@link dev.updater.core.spi.Stager}, extracts {@code .tar.gz} and {@code .zip}
 * archives safely (no path leaves the release, no device files, caps against archive bombs) and,
 * when the release has a per-file manifest, checks that the staged tree holds exactly what the
 * manifest lists, or builds it by delta from the live release. The extraction and tree checks it
 * shares with the engine and the publisher are in {@code internal.archive}. {@link
 * dev.updater.core.stage.SingleFileStager} stages an artifact that is the application itself (one
 * binary or jar), not an archive.
 *
 * <pre>{@code
 * Updater.builder()...stager(ArchiveStager.builder().maxEntries(20_000).build())...
 * }</pre>
 *
 * <p>What is accepted and refused: {@code docs/staging.md}.
 */
package dev.updater.core.stage;
