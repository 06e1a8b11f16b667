package dev.updater.core;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a failed operation must leave exactly as it was: where {@code current} points, every path
 * under {@code releases/} and {@code shared/} (type, permissions, link target, bytes) and the
 * journal's bytes. Two snapshots compare with {@code isEqualTo}, and a difference shows as the
 * differing paths.
 *
 * @param current the target of {@code current}, or empty when it is absent
 * @param tree a line per path under {@code releases/} and {@code shared/}, by relative path
 * @param journal the bytes of {@code .updater/journal.json} (as ISO-8859-1), or empty when absent
 */
public record HomeSnapshot(Optional<String> current, SortedMap<String, String> tree,
    Optional<String> journal) {

  public static HomeSnapshot of(Layout layout) throws IOException {
    Path current = layout.current();
    Optional<String> link = Files.isSymbolicLink(current)
        ? Optional.of(Files.readSymbolicLink(current).toString())
        : Files.exists(current, LinkOption.NOFOLLOW_LINKS) ? Optional.of("(not a link)")
        : Optional.empty();
    SortedMap<String, String> tree = new TreeMap<>();
    for (Path root : new Path[] {layout.releases(), layout.shared()}) {
      if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : (Iterable<Path>) paths::iterator) {
          tree.put(layout.home().relativize(p).toString(), describe(p));
        }
      }
    }
    Path journal = layout.state().resolve("journal.json");
    Optional<String> bytes = Files.exists(journal)
        ? Optional.of(new String(Files.readAllBytes(journal), ISO_8859_1))
        : Optional.empty();
    return new HomeSnapshot(link, tree, bytes);
  }

  private static String describe(Path p) throws IOException {
    if (Files.isSymbolicLink(p)) {
      return "link -> " + Files.readSymbolicLink(p);
    }
    String mode = PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return "dir " + mode;
    }
    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return "file " + mode + " " + new String(Files.readAllBytes(p), ISO_8859_1);
    }
    return "other";
  }
}
