package dev.updater.core.internal;

import dev.updater.core.internal.format.ManifestJson;
import dev.updater.core.internal.format.ManifestPages;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.internal.format.ObjectStreams;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.internal.io.WorkerPools;
import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.internal.format.ManifestPages.PageRef;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pages of paged (format 2) manifests an install holds, in {@code
 * .updater/manifests/pages/<sha256>}, and the fetching of the ones it lacks from the source, a
 * few at a time (through {@link ReleaseSource#openObject}, or {@link ReleaseSource#open} at the
 * page's repository path for a source that serves no objects). A page is verified by size and
 * SHA-256 every time it is read, from disk or from the source: a kept page that is not the listed
 * bytes any more is deleted and fetched again. Pages are a cache, so they are written atomically (never seen half
 * written) but not forced to disk; the roots that name them are. Not API.
 *
 * <pre>{@code
 * ManifestPageStore store = new ManifestPageStore(layout.state().resolve("manifests/pages"), 4);
 * ManifestPageStore.Pages pages = store.pages(root, source, release); // kept + fetched
 * FileManifest manifest = ManifestPages.assemble(root, pages.bytes(), limits);
 * }</pre>
 *
 * <p>Used under the update lock; not thread-safe (it runs its own small pool while fetching).
 */
final class ManifestPageStore {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestPageStore.class);

  /**
   * The bytes of a root's pages by SHA-256, and how many of them were fetched rather than found.
   */
  record Pages(Map<String, byte[]> bytes, int fetched, long fetchedBytes) {}

  private final Path dir;
  private final int threads;

  /** A store in {@code dir} (created when a page is first kept), fetching {@code threads} at once. */
  ManifestPageStore(Path dir, int threads) {
    this.dir = dir;
    this.threads = threads;
  }

  /**
   * The bytes of every page {@code root} lists: the kept ones that verify, and the others read
   * from {@code packs} or fetched from {@code source} for {@code release}, and kept (a failure to
   * keep one is logged).
   *
   * @throws VerificationException when a fetched page has another size or SHA-256 than listed
   * @throws NoSuchFileException when the source lacks a page
   * @throws IOException when a page cannot be read
   * @throws InterruptedIOException when the thread is interrupted
   */
  Pages pages(ManifestJson.Paged root, ReleaseSource source, Release release, PackReader packs)
      throws IOException {
    Map<String, byte[]> bytes = new HashMap<>();
    Map<String, PageRef> missing = new LinkedHashMap<>();
    for (PageRef ref : root.pages()) {
      if (bytes.containsKey(ref.sha256()) || missing.containsKey(ref.sha256())) {
        continue; // listed twice: assembling refuses the overlap
      }
      byte[] kept = kept(ref);
      if (kept != null) {
        bytes.put(ref.sha256(), kept);
      } else {
        missing.put(ref.sha256(), ref);
      }
    }
    long fetchedBytes = 0;
    if (!missing.isEmpty()) {
      for (Map.Entry<String, byte[]> page : fetchAll(List.copyOf(missing.values()), source,
          release, root.compressed(), packs).entrySet()) {
        bytes.put(page.getKey(), page.getValue());
        fetchedBytes += page.getValue().length;
        keep(page.getKey(), page.getValue());
      }
    }
    return new Pages(bytes, missing.size(), fetchedBytes);
  }

  /** Keeps the verified {@code bytes} of page {@code sha256} unless it is kept already. */
  void keep(String sha256, byte[] bytes) {
    Path file = dir.resolve(sha256);
    try {
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == bytes.length) {
        return; // verified on every read: a wrong one is replaced then
      }
      Downloader.createPrivateDirectory(dir.getParent()); // .updater/manifests, private too
      Downloader.createPrivateDirectory(dir);
      AtomicFiles.writeUnforced(file, bytes);
    } catch (IOException e) {
      LOG.warn("Could not keep the manifest page {} in {}: {}; it will be fetched again when "
          + "needed", sha256, dir, e.toString());
    }
  }

  /** Deletes every kept page not in {@code referenced}; a failure is logged. */
  void retain(Set<String> referenced) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> kept = Files.newDirectoryStream(dir)) {
      for (Path p : kept) {
        if (!referenced.contains(p.getFileName().toString())) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not forget the unused manifest pages in {}: {}", dir, e.toString());
    }
  }

  /** The kept bytes of {@code ref} when they verify; a kept file that does not is deleted. */
  private byte[] kept(PageRef ref) {
    Path file = dir.resolve(ref.sha256());
    try {
      if (Files.size(file) != ref.size()) {
        throw new VerificationException("it is " + Files.size(file) + " bytes, not "
            + ref.size());
      }
      byte[] bytes = Files.readAllBytes(file);
      ManifestPages.verify(ref, bytes, "the kept page");
      return bytes;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("The kept manifest page {} is unusable ({}); fetching it again", file,
          e.getMessage());
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // fetched again anyway; replaced when it is kept
      }
      return null;
    }
  }

  private Map<String, byte[]> fetchAll(List<PageRef> refs, ReleaseSource source,
      Release release, boolean compressed, PackReader packs) throws IOException {
    Map<String, byte[]> fetched = new HashMap<>();
    if (refs.size() > 1 && compressed) {
      PackReader.Batch batch = packs.batch(refs.stream()
          .map(r -> new PackReader.Want(r.sha256(), r.size())).toList());
      for (PageRef ref : refs) {
        batch.take(ref.sha256()).ifPresent(bytes -> fetched.put(ref.sha256(), bytes));
      }
      refs = refs.stream().filter(r -> !fetched.containsKey(r.sha256())).toList();
    }
    if (refs.size() <= 1) {
      for (PageRef ref : refs) {
        fetched.put(ref.sha256(), fetch(ref, source, release, compressed));
      }
      return fetched;
    }
    ExecutorService pool = WorkerPools.fixed("updater-manifest-pages",
        Math.min(threads, refs.size()));
    CompletionService<byte[]> completion = new ExecutorCompletionService<>(pool);
    try {
      Map<Future<byte[]>, String> names = new HashMap<>();
      for (PageRef ref : refs) {
        names.put(completion.submit(() -> fetch(ref, source, release, compressed)), ref.sha256());
      }
      for (int i = 0; i < refs.size(); i++) {
        Future<byte[]> done = completion.take();
        fetched.put(names.get(done), done.get());
      }
      return fetched;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching the manifest pages of "
          + release.version());
    } catch (ExecutionException e) {
      throw WorkerPools.failure(e, "fetching a manifest page of " + release.version());
    } finally {
      pool.shutdownNow(); // the others only read into memory: nothing to wait for
    }
  }

  /**
   * Reads one page from the source, at most one byte past its listed size, and verifies it: a
   * compressed one (format 3) from its repository path {@code objects/<aa>/<sha256>.zlib}; else
   * with {@link ReleaseSource#openObject} when the source serves objects, or with {@link
   * ReleaseSource#open} as a file at its repository path {@code objects/<aa>/<sha256>} (which a
   * source that resolves repository-relative locations can serve).
   */
  private static byte[] fetch(PageRef ref, ReleaseSource source, Release release,
      boolean compressed) throws IOException {
    byte[] bytes;
    try (InputStream in = compressed || source.servesObjects()
        ? ObjectStreams.open(source, release, ref.sha256(), ref.size(), compressed)
        : source.open(new Artifact(ref.sha256(), ref.size(), ref.sha256(),
            ObjectPaths.relative(ref.sha256())), 0)) {
      bytes = in.readNBytes(Math.toIntExact(ref.size() + 1));
    }
    ManifestPages.verify(ref, bytes, "the manifest page " + ref.sha256() + " of "
        + release.version());
    return bytes;
  }
}
