/**
 * Where releases come from: {@link dev.updater.core.source.HttpReleaseSource} (any static HTTP(S)
 * host), {@link dev.updater.core.source.DirectoryReleaseSource} (a directory or mounted medium) and
 * {@link dev.updater.core.source.MirroredReleaseSource} (one repository behind several mirrors).
 * {@link dev.updater.core.source.ReleaseSources} opens a source named by a URI through the {@link
 * dev.updater.core.spi.ReleaseSourceProvider}s it finds, and resolves which source an install
 * uses: an environment variable, then the {@link dev.updater.core.source.SourceSettings}
 * remembered in the home, then a default. GitHub releases are in {@code source.github}.
 *
 * <pre>{@code
 * ReleaseSource source = ReleaseSources.open(
 *     ReleaseSources.location("https://updates.example.com/myapp/"),
 *     TrustedKeys.read(Path.of("/etc/myapp/updates.pub")));
 * }</pre>
 *
 * <p>Every source checks the signature of the index it reads before it parses it; see {@code
 * docs/sources.md} and {@code docs/http-source.md}.
 */
package dev.updater.core.source;
