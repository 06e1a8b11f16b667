package dev.updater.core.repository;

import dev.updater.core.Version;
import dev.updater.core.internal.Downloader;
import dev.updater.core.internal.format.Chunking;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.internal.format.ManifestJson;
import dev.updater.core.internal.format.ManifestPages;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.internal.format.Packs;
import dev.updater.core.internal.format.ZlibObjects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the pack of a release ({@link Packs}): the objects of its manifest that the manifest of
 * its <em>predecessor</em> (the highest version below it whose format-3 manifest the repository
 * holds) does not name, in the order an install reads them (new pages, then per file in path
 * order its whole object or its new chunks), copied byte for byte from {@code objects/}, with
 * the pack's index stored as an object. An install running the predecessor finds every object it
 * lacks in this pack; one running an older release also reads the packs of the releases between,
 * which the root lists after this one. A file an install would fetch whole (most of its bytes
 * new) is packed whole, others by their new chunks; objects larger than {@link
 * Packs#MAX_MEMBER_BYTES} are left out (one request each is cheap for them).
 *
 * <p>Stateless and thread-safe for different repositories.
 */
final class PackPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(PackPublisher.class);
  /** Generous caps for reading a predecessor's manifest: the publisher wrote it. */
  private static final ManifestJson.Limits LIMITS = new ManifestJson.Limits(Integer.MAX_VALUE,
      Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

  private PackPublisher() {}

  /**
   * Writes the pack of {@code version} (when it has a predecessor and introduces objects) and
   * returns the packs its root lists: its own first, then its predecessor's, at most {@link
   * Packs#MAX_LISTED}.
   */
  static List<Packs.PackRef> write(Path repo, Version version, FileManifest manifest,
      List<ManifestPages.Page> pages) throws IOException {
    Optional<Previous> previous = predecessor(repo, version);
    if (previous.isEmpty()) {
      return List.of();
    }
    Set<String> known = previous.get().objects();
    Map<String, Long> members = new LinkedHashMap<>();
    for (ManifestPages.Page page : pages) {
      addIfNew(members, known, page.ref().sha256(), page.ref().size());
    }
    for (Entry e : manifest.entries()) {
      if (e.type() != Type.FILE || known.contains(e.sha256())) {
        continue;
      }
      long missing = 0;
      for (Chunking.Chunk c : e.chunks()) {
        missing += known.contains(c.sha256()) ? 0 : c.size();
      }
      if (e.chunks().isEmpty() || missing > e.size() - e.size() / 4) {
        addIfNew(members, known, e.sha256(), e.size()); // an install fetches it whole
      } else {
        e.chunks().forEach(c -> addIfNew(members, known, c.sha256(), c.size()));
      }
    }
    List<Packs.PackRef> listed = new ArrayList<>();
    if (!members.isEmpty()) {
      listed.add(writePack(repo, version, List.copyOf(members.keySet())));
    }
    for (Packs.PackRef older : previous.get().packs()) {
      if (listed.size() < Packs.MAX_LISTED && older.version().compareTo(version) < 0) {
        listed.add(older);
      }
    }
    return listed;
  }

  private static void addIfNew(Map<String, Long> members, Set<String> known, String sha256,
      long size) {
    if (!known.contains(sha256) && size <= Packs.MAX_MEMBER_BYTES) {
      members.putIfAbsent(sha256, size);
    }
  }

  /** Concatenates the stored objects {@code shas} into a pack, and stores its index. */
  private static Packs.PackRef writePack(Path repo, Version version, List<String> shas)
      throws IOException {
    List<Packs.Member> members = new ArrayList<>(shas.size());
    long total = 0;
    for (String sha : shas) {
      long length = Files.size(RepositoryFiles.resolve(repo, ObjectPaths.compressed(sha)));
      members.add(new Packs.Member(sha, length));
      total += length;
    }
    byte[] index = Packs.writeIndex(members);
    String indexSha = HexFormat.of().formatHex(Downloader.sha256().digest(index));
    Packs.PackRef ref = new Packs.PackRef(version, indexSha, index.length, members.size(), total);
    Path pack = RepositoryFiles.resolve(repo, ref.location());
    long expected = total;
    RepositoryFiles.write(pack, out -> {
      long copied = 0;
      for (String sha : shas) {
        copied += Files.copy(RepositoryFiles.resolve(repo, ObjectPaths.compressed(sha)), out);
      }
      if (copied != expected) {
        throw new IOException("the objects of " + version + " changed while its pack was "
            + "written; publish again");
      }
    });
    Path stored = RepositoryFiles.storeCompressed(repo, indexSha, index.length,
        out -> out.write(index));
    if (stored != null) {
      RepositoryFiles.force(List.of(stored));
    }
    LOG.info("Packed {} object(s) of {} ({} bytes) into {}", members.size(), version, total,
        ref.location());
    return ref;
  }

  /** What the predecessor's manifest names, and the packs its root lists. */
  private record Previous(Set<String> objects, List<Packs.PackRef> packs) {}

  /**
   * The highest version below {@code version} with a readable format-3 manifest under {@code
   * releases/}, if any; a manifest that cannot be read is skipped (logged).
   */
  private static Optional<Previous> predecessor(Path repo, Version version) throws IOException {
    Path releases = repo.resolve("releases");
    if (!Files.isDirectory(releases, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    List<Version> lower = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(releases)) {
      for (Path dir : dirs) {
        parse(dir.getFileName().toString()).filter(v -> v.compareTo(version) < 0)
            .ifPresent(lower::add);
      }
    }
    lower.sort(null);
    for (int i = lower.size() - 1; i >= 0; i--) {
      Path root = releases.resolve(lower.get(i).toString()).resolve(TreePublisher.MANIFEST_NAME);
      try {
        Optional<Previous> read = read(repo, Files.readAllBytes(root));
        if (read.isPresent()) {
          return read;
        }
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot read the manifest {} ({}); not packing against it", root, e.toString());
      }
    }
    return Optional.empty();
  }

  private static Optional<Version> parse(String name) {
    try {
      return Optional.of(Version.parse(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The objects a format-3 root and its pages name; empty for an older format. */
  private static Optional<Previous> read(Path repo, byte[] rootBytes) throws IOException {
    if (!(ManifestJson.parse(rootBytes, LIMITS).orElse(null) instanceof ManifestJson.Paged root)
        || !root.compressed()) {
      return Optional.empty();
    }
    Set<String> objects = new HashSet<>();
    Map<String, byte[]> pages = new HashMap<>();
    for (ManifestPages.PageRef ref : root.pages()) {
      objects.add(ref.sha256());
      try (InputStream in = ZlibObjects.inflating(Files.newInputStream(
          RepositoryFiles.resolve(repo, ObjectPaths.compressed(ref.sha256()))))) {
        pages.put(ref.sha256(), in.readNBytes(Math.toIntExact(ref.size() + 1)));
      }
    }
    for (Entry e : ManifestPages.assemble(root, pages, LIMITS).entries()) {
      if (e.type() == Type.FILE) {
        objects.add(e.sha256());
        e.chunks().forEach(c -> objects.add(c.sha256()));
      }
    }
    return Optional.of(new Previous(objects, root.packs()));
  }
}
