package dev.updater.core.internal;

import dev.updater.core.Version;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The symbolic links of a tree staged from its manifest: made last, once every file is in
 * place, then each checked to resolve inside the tree, as the archive stager demands. Not API.
 *
 * <p>Stateless and thread-safe.
 */
final class ManifestLinks {
  private ManifestLinks() {}

  /**
   * Creates the manifest's links in {@code target}, then checks each.
   *
   * @throws VerificationException when a link does not resolve, or resolves outside the tree
   */
  static void create(Path target, FileManifest manifest, Version version) throws IOException {
    for (Entry e : manifest.entries()) {
      if (e.type() == Type.SYMLINK) {
        Path link = DeltaStager.resolve(target, e.path());
        Files.createSymbolicLink(link, link.getFileSystem().getPath(e.target()));
      }
    }
    Path realRoot = target.toRealPath();
    for (Entry e : manifest.entries()) {
      if (e.type() != Type.SYMLINK) {
        continue;
      }
      Path real;
      try {
        real = DeltaStager.resolve(target, e.path()).toRealPath();
      } catch (IOException dangling) {
        throw new VerificationException("the link '" + e.path() + "' of " + version
            + " to '" + e.target() + "' does not resolve inside the release: " + dangling);
      }
      if (!real.startsWith(realRoot)) {
        throw new VerificationException("the link '" + e.path() + "' of " + version
            + " to '" + e.target() + "' resolves outside the release");
      }
    }
  }
}
