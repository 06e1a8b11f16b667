/**
 * The published format of an update repository, for {@code updater publish} and for anyone serving
 * updates from a server or publishing step of their own: {@link
 * dev.updater.core.repository.RepositoryWriter} writes the artifacts, per-file manifests,
 * content-addressed objects and signed channel indexes, and {@link
 * dev.updater.core.repository.RepositoryReader} reads them back and checks every file against the
 * signed index, as an install would.
 *
 * <pre>{@code
 * RepositoryWriter writer = RepositoryWriter.signed(Path.of("repo"), signingKey);
 * Artifact archive = writer.putArtifact(version, Path.of("target/app.tar.gz"),
 *     RepositoryWriter.IfDifferent.REFUSE);
 * writer.publish("myapp", Release.of(version, "stable", archive), expires);
 *
 * RepositoryReader reader = RepositoryReader.signed(Path.of("repo"), trustedKeys);
 * for (Release release : reader.index("stable").releases()) {
 *   reader.verify(release);  // every file's size and SHA-256: a gate before upload
 * }
 * }</pre>
 *
 * <p>The layout and every field are described in {@code docs/repository.md}.
 */
package dev.updater.core.repository;
