package dev.updater.core.repository;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.internal.ReleaseManifests;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.ManifestJson;
import dev.updater.core.internal.format.Chunking;
import dev.updater.core.internal.format.ManifestPages;
import dev.updater.core.internal.format.ObjectStreams;
import dev.updater.core.internal.format.Packs;
import dev.updater.core.internal.format.ZlibObjects;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipException;

/**
 * Reads and checks a static update repository in a directory as an install would: the index of a
 * channel (its signature verified before its bytes are parsed), and every file a release names,
 * its artifacts, its per-file manifest and manifest pages, and the objects of its tree, each
 * against the size and SHA-256 the index (or the manifest it covers) lists. What a CI job runs on
 * a repository written by {@link RepositoryWriter}, before uploading it.
 *
 * <pre>{@code
 * RepositoryReader reader = RepositoryReader.signed(Path.of("repo"),
 *     TrustedKeys.read(Path.of("updater.pub")));
 * ReleaseIndex stable = reader.index("stable");
 * for (Release release : stable.releases()) {
 *   reader.verify(release); // throws VerificationException naming the first file that is wrong
 * }
 * }</pre>
 *
 * <p>The manifest is read with the caps of {@link ArchiveStager#defaults()}. Files are read
 * through {@link DirectoryReleaseSource}: a location that leads outside the repository is refused.
 *
 * <p>Immutable and thread-safe: every call opens its own files.
 */
public final class RepositoryReader {
  /**
   * What {@link #verify} checked.
   *
   * @param artifacts the artifacts of the release, each of the listed size and SHA-256
   * @param pages the pages of its manifest (0 for a release without one, or with a manifest in
   *     one piece)
   * @param objects the distinct file objects of its tree
   * @param objectBytes their bytes
   */
  public record Verified(int artifacts, int pages, int objects, long objectBytes) {}

  private final DirectoryReleaseSource source;

  private RepositoryReader(DirectoryReleaseSource source) {
    this.source = source;
  }

  /**
   * A reader of the repository at {@code root} that accepts only indexes signed by one of {@code
   * keys}.
   */
  public static RepositoryReader signed(Path root, TrustedKeys keys) {
    return new RepositoryReader(DirectoryReleaseSource.of(root, keys));
  }

  /**
   * A reader of the repository at {@code root} that follows its signed key lists from {@code
   * trustRoot} and accepts only indexes signed as the newest list requires, as an install does.
   * The expiries of the key list and the timestamp are left to the caller: the index's {@link
   * dev.updater.core.ReleaseIndex#trustChain()} carries them.
   */
  public static RepositoryReader rooted(Path root, TrustRoot trustRoot) {
    return new RepositoryReader(DirectoryReleaseSource.of(root, trustRoot));
  }

  /** A reader of the repository at {@code root} that checks no signatures. */
  public static RepositoryReader unsigned(Path root) {
    return new RepositoryReader(DirectoryReleaseSource.of(root));
  }

  /**
   * Reads the index of {@code channel}, verifies its signature (for a {@linkplain #signed signed}
   * reader) and parses it.
   *
   * @throws IllegalArgumentException when {@code channel} is not a channel name
   * @throws NoSuchFileException when the channel is not published
   * @throws VerificationException when the signature is missing, malformed, by a key that is not
   *     trusted or does not match, or the index is not valid
   */
  public ReleaseIndex index(String channel) throws IOException {
    return source.index(channel);
  }

  /**
   * Checks every file {@code release} names: each artifact, the manifest, each page of the
   * manifest and each object of the tree it lists must be in the repository with the size and
   * SHA-256 listed for it; each pack its manifest lists must hold what its index says (and the
   * objects of the release's own pack must be the manifest's).
   *
   * @return what was checked
   * @throws VerificationException naming the first file that is missing, of another size or
   *     SHA-256, or not a valid manifest or page
   * @throws IOException when a file cannot be read
   */
  public Verified verify(Release release) throws IOException {
    Objects.requireNonNull(release, "release");
    for (Artifact artifact : release.artifacts()) {
      check(release, artifact);
    }
    if (release.manifest().isEmpty()) {
      return new Verified(release.artifacts().size(), 0, 0, 0);
    }
    byte[] root = check(release, release.manifest().get());
    ManifestJson.Limits limits = ReleaseManifests.limits(ArchiveStager.defaults());
    Optional<ManifestJson.Document> document;
    try {
      document = ManifestJson.parse(root, limits);
    } catch (VerificationException e) {
      throw new VerificationException("the manifest of " + release.version() + ": "
          + e.getMessage(), e);
    }
    if (document.isEmpty()) { // a newer format: its bytes are right, its content unknown here
      return new Verified(release.artifacts().size(), 0, 0, 0);
    }
    int pages = 0;
    boolean compressed = false;
    FileManifest manifest;
    if (document.get() instanceof ManifestJson.Paged paged) {
      pages = paged.pages().size();
      compressed = paged.compressed();
      manifest = assemble(release, paged, limits);
    } else {
      manifest = ((ManifestJson.Whole) document.get()).manifest();
    }
    Set<String> objects = new HashSet<>();
    long bytes = 0;
    for (FileManifest.Entry e : manifest.entries()) {
      if (e.type() == FileManifest.Type.FILE && objects.add(e.sha256())) {
        checkObject(release, e.sha256(), e.size(), "the object of '" + e.path() + "'",
            compressed, false);
        bytes += e.size();
      }
      for (Chunking.Chunk c : e.chunks()) {
        if (objects.add(c.sha256())) {
          checkObject(release, c.sha256(), c.size(), "a chunk of '" + e.path() + "'", compressed,
              false);
          bytes += c.size();
        }
      }
    }
    if (document.get() instanceof ManifestJson.Paged paged) {
      checkPacks(release, paged, manifest);
    }
    return new Verified(release.artifacts().size(), pages, objects.size(), bytes);
  }

  /**
   * Checks the packs {@code root} lists: each index against the root and its pack, each pack's
   * length, and each object of the release's own pack against the object of the manifest whose
   * name it starts (it must inflate to exactly those bytes).
   */
  private void checkPacks(Release release, ManifestJson.Paged root, FileManifest manifest)
      throws IOException {
    Map<String, Long> sizes = new HashMap<>();
    root.pages().forEach(p -> sizes.put(Packs.prefix(p.sha256()), p.size()));
    Map<String, String> names = new HashMap<>();
    root.pages().forEach(p -> names.put(Packs.prefix(p.sha256()), p.sha256()));
    for (FileManifest.Entry e : manifest.entries()) {
      if (e.type() == FileManifest.Type.FILE) {
        sizes.put(Packs.prefix(e.sha256()), e.size());
        names.put(Packs.prefix(e.sha256()), e.sha256());
        e.chunks().forEach(c -> {
          sizes.put(Packs.prefix(c.sha256()), c.size());
          names.put(Packs.prefix(c.sha256()), c.sha256());
        });
      }
    }
    for (Packs.PackRef pack : root.packs()) {
      String what = pack.location() + " of " + release.version();
      byte[] index = checkObject(release, pack.index(), pack.size(), "the index of "
          + pack.location(), true, true);
      List<Map.Entry<String, Packs.Location>> located;
      try {
        located = new ArrayList<>(Packs.readIndex(pack, index).entrySet());
      } catch (VerificationException e) {
        throw new VerificationException(what + ": " + e.getMessage(), e);
      }
      located.sort(Comparator.comparingLong(l -> l.getValue().offset()));
      boolean own = pack.version().equals(release.version());
      Artifact file = new Artifact(pack.index() + ".pack", pack.bytes(), pack.index(),
          pack.location());
      long read = 0;
      try (InputStream in = source.open(file, 0)) {
        for (Map.Entry<String, Packs.Location> l : located) {
          in.skipNBytes(l.getValue().offset() - read);
          byte[] stored = in.readNBytes(Math.toIntExact(l.getValue().length()));
          read = l.getValue().offset() + stored.length;
          if (own && stored.length == l.getValue().length()) {
            checkPacked(stored, l.getKey(), names.get(l.getKey()), sizes.get(l.getKey()), what);
          }
        }
        read += in.transferTo(OutputStream.nullOutputStream());
      } catch (EOFException e) {
        throw new VerificationException(what + " is shorter than the " + pack.bytes()
            + " bytes its index adds up to", e);
      } catch (NoSuchFileException e) {
        throw new VerificationException(what + " is missing from the repository", e);
      }
      if (read != pack.bytes()) {
        throw new VerificationException(what + " is " + read + " bytes, not the "
            + pack.bytes() + " its index adds up to");
      }
    }
  }

  @Override
  public String toString() {
    return "RepositoryReader[" + source.describe() + "]";
  }

  /** The manifest from its pages, each read from {@code objects/} and checked by the root. */
  private FileManifest assemble(Release release, ManifestJson.Paged root,
      ManifestJson.Limits limits) throws IOException {
    Map<String, byte[]> pages = new HashMap<>();
    for (ManifestPages.PageRef ref : root.pages()) {
      if (!pages.containsKey(ref.sha256())) {
        pages.put(ref.sha256(), checkObject(release, ref.sha256(), ref.size(), "a manifest page",
            root.compressed(), true));
      }
    }
    try {
      return ManifestPages.assemble(root, pages, limits);
    } catch (VerificationException e) {
      throw new VerificationException("the manifest of " + release.version() + ": "
          + e.getMessage(), e);
    }
  }

  /** Checks that {@code stored}, an object of a pack, inflates to the object {@code name}. */
  private static void checkPacked(byte[] stored, String prefix, String name, Long size,
      String what) throws IOException {
    if (name == null) {
      throw new VerificationException(what + " holds an object named " + prefix + "..., which "
          + "its manifest does not name");
    }
    try (InputStream in = ZlibObjects.inflating(new ByteArrayInputStream(stored))) {
      read(in, size, name, "the object " + name + " in " + what, false);
    } catch (ZipException | EOFException e) {
      throw new VerificationException("the object " + name + " in " + what + " is not a valid "
          + "compressed object: " + e.getMessage(), e);
    }
  }

  /** Reads an artifact whole and checks it; its bytes when it is the manifest (kept small). */
  private byte[] check(Release release, Artifact artifact) throws IOException {
    boolean keep = release.manifest().filter(artifact::equals).isPresent();
    String what = "artifact " + artifact.name() + " of " + release.version();
    try (InputStream in = source.open(artifact, 0)) {
      return read(in, artifact.size(), artifact.sha256(), what, keep);
    } catch (NoSuchFileException e) {
      throw new VerificationException(what + " is missing from the repository (" + e.getFile()
          + ")", e);
    }
  }

  private byte[] checkObject(Release release, String sha256, long size, String what,
      boolean compressed, boolean keep) throws IOException {
    String named = what + " " + sha256 + " of " + release.version();
    try (InputStream in = ObjectStreams.open(source, release, sha256, size, compressed)) {
      return read(in, size, sha256, named, keep);
    } catch (ZipException | EOFException e) {
      throw new VerificationException(named + " is not a valid compressed object: "
          + e.getMessage(), e);
    } catch (NoSuchFileException e) {
      throw new VerificationException(named + " is missing from the repository", e);
    }
  }

  /**
   * Reads {@code in} to its end (stopping one byte past {@code size}), checks the size and the
   * SHA-256, and returns the bytes when {@code keep}.
   */
  private static byte[] read(InputStream in, long size, String sha256, String what, boolean keep)
      throws IOException {
    MessageDigest digest = Sha256.newDigest();
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buffer = new byte[Sha256.FILE_BUFFER];
    long total = 0;
    for (int n; total <= size && (n = in.read(buffer)) != -1; total += n) {
      digest.update(buffer, 0, n);
      if (keep) {
        kept.write(buffer, 0, n);
      }
    }
    if (total != size) {
      throw new VerificationException(what + " is " + (total > size ? "longer" : "shorter")
          + " than the " + size + " bytes listed for it");
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equalsIgnoreCase(sha256)) {
      throw new VerificationException(what + " hashes to " + actual + ", not the listed "
          + sha256);
    }
    return kept.toByteArray();
  }
}
