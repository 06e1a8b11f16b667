/**
 * Releases published as the releases of a GitHub repository (or of a server with the same REST
 * API): {@link dev.updater.core.source.github.GitHubReleaseSource} reads the tags {@code
 * vMAJOR.MINOR.PATCH}, takes each release's archive and its {@code SHA256SUMS} file, and offers
 * them on the channels {@code stable} and {@code beta}. It is also opened by the location {@code
 * github:owner/repo?asset=...} through {@link dev.updater.core.source.ReleaseSources}.
 *
 * <pre>{@code
 * ReleaseSource source = GitHubReleaseSource.builder("acme/myapp")
 *     .assetName("myapp-{version}.tar.gz")
 *     .build();
 * }</pre>
 *
 * <p>What is trusted, and what is not, is in {@code docs/github-source.md}.
 */
package dev.updater.core.source.github;
