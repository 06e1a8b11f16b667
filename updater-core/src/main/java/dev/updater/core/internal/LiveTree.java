package dev.updater.core.internal;

import dev.updater.core.internal.format.Chunking;
import dev.updater.core.internal.format.FileManifest;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.internal.io.WorkerPools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of the live release that a delta install may reuse, found from the manifest the live
 * release was verified against: a regular file of the listed size, reached through real
 * directories only (a shared path the activator replaced with a link is not the release's own
 * file), and unchanged since it was checked at its install: the same {@link FileStamps stamp},
 * or, where no stamps were kept, the listed SHA-256 (hashed here). One {@code lstat} per file,
 * on several threads. Not API.
 *
 * <p>Not thread-safe; built once per install.
 */
final class LiveTree {
  private static final Logger LOG = LoggerFactory.getLogger(LiveTree.class);

  /**
   * A regular file of the live release holding a content: its entry in the live manifest, where
   * it is, its file key (null when the file system has none) and its mode on disk (the listed
   * one without POSIX permissions).
   */
  record LiveFile(Entry entry, Path path, Object fileKey, int mode) {}

  private final Map<String, LiveFile> bySha;

  private LiveTree(Map<String, LiveFile> bySha) {
    this.bySha = bySha;
  }

  /**
   * Finds the reusable files of the live release in {@code liveDir}, described by {@code
   * liveManifest}, with the {@code stamps} kept at its install; without stamps, the files whose
   * content {@code next} lists are hashed, on up to {@code threads} threads.
   */
  static LiveTree scan(Path liveDir, FileManifest liveManifest,
      Optional<Map<String, FileStamps.Stamp>> stamps, FileManifest next, int threads)
      throws IOException {
    boolean posix = liveDir.getFileSystem().supportedFileAttributeViews().contains("posix");
    Map<String, Boolean> plainDirs = new HashMap<>();
    List<Entry> candidates = new ArrayList<>();
    for (Entry e : liveManifest.entries()) {
      if (e.type() == Type.FILE && plainParent(liveDir, e, plainDirs)) {
        candidates.add(e);
      }
    }
    LiveFile[] found = new LiveFile[candidates.size()];
    AtomicInteger changed = new AtomicInteger();
    WorkerPools.forEach("updater-delta-scan", threads, candidates, (i, e) -> {
      found[i] = plainFile(liveDir, e, posix, stamps, changed);
    });
    if (changed.get() > 0) {
      LOG.warn("{} file(s) of the live release {} changed since it was installed (another size, "
          + "modification time or inode than when they were checked); they are fetched, not "
          + "reused", changed.get(), liveDir);
    }
    Map<String, LiveFile> bySha = new HashMap<>(found.length * 2);
    for (LiveFile f : found) {
      if (f != null) {
        bySha.putIfAbsent(f.entry().sha256(), f); // the first usable file of each content
      }
    }
    if (stamps.isEmpty()) {
      hashInstead(bySha, next, threads, liveDir);
    }
    return new LiveTree(bySha);
  }

  /** The live file holding the content {@code sha256}, or null. */
  LiveFile get(String sha256) {
    return bySha.get(sha256);
  }

  /**
   * Where each chunk of the live release lies: in each of its files that lists chunks, and each
   * whole file as a chunk of its own (a small file is one chunk of another release's file).
   */
  Map<String, ChunkRebuilder.LiveChunk> chunks() {
    Map<String, ChunkRebuilder.LiveChunk> index = new HashMap<>();
    for (LiveFile f : bySha.values()) {
      index.putIfAbsent(f.entry().sha256(), new ChunkRebuilder.LiveChunk(f.path(), 0));
      long offset = 0;
      for (Chunking.Chunk c : f.entry().chunks()) {
        index.putIfAbsent(c.sha256(), new ChunkRebuilder.LiveChunk(f.path(), offset));
        offset += c.size();
      }
    }
    return index;
  }

  /** True when every directory above {@code e} is a real directory of the live release. */
  private static boolean plainParent(Path liveDir, Entry e, Map<String, Boolean> plainDirs) {
    String parent = e.parent();
    if (parent.isEmpty()) {
      return true;
    }
    Boolean plain = plainDirs.get(parent);
    if (plain == null) {
      plain = true;
      Path p = liveDir;
      for (String segment : parent.split("/")) {
        p = p.resolve(segment);
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          plain = false;
          break;
        }
      }
      plainDirs.put(parent, plain);
    }
    return plain;
  }

  /**
   * The live file for {@code e} when it is a regular file of the listed size with the stamp it
   * had when it was checked (any, when no stamps were kept); else null.
   */
  private static LiveFile plainFile(Path liveDir, Entry e, boolean posix,
      Optional<Map<String, FileStamps.Stamp>> stamps, AtomicInteger changed) throws IOException {
    Path path = DeltaStager.resolve(liveDir, e.path());
    BasicFileAttributes attrs;
    try {
      attrs = posix
          ? Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException gone) {
      return null;
    }
    if (!attrs.isRegularFile() || attrs.size() != e.size()) {
      return null;
    }
    if (stamps.isPresent()) {
      FileStamps.Stamp stamp = stamps.get().get(e.path());
      if (stamp == null || !stamp.matches(attrs)) {
        changed.incrementAndGet();
        return null;
      }
    }
    int mode = attrs instanceof PosixFileAttributes p ? FileManifest.mode(p.permissions())
        : e.mode();
    return new LiveFile(e, path, attrs.fileKey(), mode);
  }

  /**
   * Without stamps, hashes the live files whose content {@code next} lists (those a delta would
   * link or copy) and drops those that no longer hold the listed bytes.
   */
  private static void hashInstead(Map<String, LiveFile> bySha, FileManifest next, int threads,
      Path liveDir) throws IOException {
    Set<String> wanted = new HashSet<>();
    for (Entry e : next.entries()) {
      if (e.type() == Type.FILE && bySha.containsKey(e.sha256())) {
        wanted.add(e.sha256());
      }
    }
    List<LiveFile> toHash = wanted.stream().map(bySha::get).toList();
    boolean[] differ = new boolean[toHash.size()];
    WorkerPools.forEach("updater-delta-hash", threads, toHash, (i, f) -> {
      differ[i] = !f.entry().sha256().equals(FileManifest.sha256(f.path()));
    });
    int changed = 0;
    for (int i = 0; i < differ.length; i++) {
      if (differ[i]) {
        bySha.remove(toHash.get(i).entry().sha256());
        changed++;
      }
    }
    LOG.info("No file stamps are kept for the live release {}: hashed the {} file(s) to reuse, "
        + "{} of which changed since it was installed", liveDir, toHash.size(), changed);
  }
}
