/**
 * Archives and release trees: safe extraction of tar.gz and zip entries (names, modes, links,
 * caps), writing a tree to disk, and the closed-world check of a staged tree against its manifest.
 * Shared by the stager, the engine (delta installs) and the publisher, so that a publisher refuses
 * exactly the archives an install would refuse.
 *
 * <p>Not API: this package is not exported, and anything here may change in any release.
 */
package dev.updater.core.internal.archive;
