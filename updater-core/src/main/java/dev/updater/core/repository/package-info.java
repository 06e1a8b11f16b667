/**
 * The published format of an update repository, for publishers and for anyone serving updates
 * from a server of their own: {@link dev.updater.core.repository.RepositoryWriter} writes the
 * artifacts, per-file manifests, objects and signed channel indexes, and {@link
 * dev.updater.core.repository.RepositoryReader} reads them back and checks every file against the
 * signed index, as an install would. The format itself is described in {@code
 * docs/repository.md}.
 */
package dev.updater.core.repository;
