package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import dev.updater.core.internal.io.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of {@code releases/<version>/} for the activators that keep one directory per release
 * without a {@code current} link, and the check of how many every activator keeps. Stateless.
 */
final class ReleaseDirectories {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseDirectories.class);

  private ReleaseDirectories() {}

  /** {@code keep}, when it keeps at least the live and the previous release. */
  static int checkKeep(int keep) {
    if (keep < 2) {
      throw new IllegalArgumentException(
          "keep must be at least 2 (the live and the previous release), was " + keep);
    }
    return keep;
  }

  /**
   * Keeps {@code keep} releases: {@code live}, {@code previous} and the newest others; deletes the
   * rest.
   */
  static void prune(Layout layout, int keep, Version live, Optional<Version> previous)
      throws IOException {
    if (!Files.isDirectory(layout.releases(), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<String> kept = new ArrayList<>(List.of(live.toString()));
    previous.ifPresent(p -> kept.add(p.toString()));
    List<Version> others = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.releases())) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        Optional<Version> v = canonical(name);
        if (v.isPresent() && !kept.contains(name)
            && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          others.add(v.get());
        }
      }
    }
    others.sort(Comparator.reverseOrder());
    int room = Math.max(0, keep - kept.size());
    for (Version old : others.subList(Math.min(room, others.size()), others.size())) {
      LOG.info("Pruning release {} (keeping {} releases)", old, keep);
      FileTrees.deleteRecursively(layout.release(old));
    }
  }

  /** The version a directory name is the canonical form of. */
  static Optional<Version> canonical(String name) {
    try {
      Version v = Version.parse(name);
      return v.toString().equals(name) ? Optional.of(v) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
