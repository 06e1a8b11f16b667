package dev.updater.core.internal;

import dev.updater.core.Artifact;
import dev.updater.core.internal.archive.SafeExtractor;
import dev.updater.core.internal.archive.WrittenFiles;
import dev.updater.core.internal.io.GrowingFile;
import dev.updater.core.internal.io.WorkerPools;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Unpacks a {@code .tar.gz} archive while it downloads: one thread reads the download's file as
 * the downloader writes it ({@link GrowingFile}) and extracts it into the staging directory
 * through the same {@link SafeExtractor} and watches as an archive read after its download, so the
 * install takes about the longer of the two instead of their sum.
 *
 * <p>Nothing of the tree is used before the whole archive is checked: the install's VERIFY step
 * checks its size and SHA-256 as always, and only then does the STAGE step {@link #await} the
 * tree, check it file by file against the release's signed manifest (the closed-world check) and
 * publish it. Until then the tree is private to the staging directory, which a failed or crashed
 * install removes. A failure of the extraction is held until {@link #await}, so a download whose
 * bytes were tampered with fails as a SHA-256 mismatch, not as the corrupt archive it extracted
 * to. Not API.
 *
 * <p>The downloading thread calls {@link #grew}, {@link #downloaded} and {@link #close}; the
 * installing thread {@link #await}.
 */
final class Unpacking implements AutoCloseable {
  private final GrowingFile download;
  private final ExecutorService thread;
  private final Future<Map<String, String>> digests;

  private Unpacking(GrowingFile download, ExecutorService thread,
      Future<Map<String, String>> digests) {
    this.download = download;
    this.thread = thread;
    this.digests = digests;
  }

  /**
   * Starts extracting the archive {@code artifact} that is being downloaded into {@code part}
   * into {@code staging} (existing and empty), with {@code watch} told of each write; each file is
   * hashed and forced as it is written.
   */
  static Unpacking start(SafeExtractor extractor, Path part, Artifact artifact, Path staging,
      StagingWatch watch) {
    GrowingFile download = new GrowingFile(part);
    ExecutorService thread = WorkerPools.fixed("updater-unpack", 1);
    Future<Map<String, String>> digests = thread.submit(() -> {
      try (GrowingFile in = download;
          WrittenFiles written = new WrittenFiles(WrittenFiles.Digests.COMPUTE, staging)) {
        extractor.extractTarGz(in, artifact.name(), staging, watch.then(written::add));
        return written.await();
      }
    });
    thread.shutdown();
    return new Unpacking(download, thread, digests);
  }

  /** The first {@code bytes} of the archive are written. */
  void grew(long bytes) {
    try {
      download.grew(bytes);
    } catch (IOException e) {
      download.abandon(e);
    }
  }

  /** The archive is downloaded whole, {@code size} bytes (not verified yet). */
  void downloaded(long size) {
    try {
      download.complete(size);
    } catch (IOException e) {
      download.abandon(e);
    }
  }

  /**
   * Waits for the extraction to end.
   *
   * @return the SHA-256 of each extracted file by its path, for the closed-world check
   * @throws IOException the extraction's failure, as an extraction after the download fails
   */
  Map<String, String> await() throws IOException {
    try {
      return digests.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new InterruptedIOException("interrupted while unpacking the archive");
    } catch (ExecutionException e) {
      throw WorkerPools.uncheckedOrFailure(e, "unpacking the archive");
    }
  }

  /**
   * Stops the extraction (when the download failed or was refused) and waits until its thread
   * writes nothing more, so that the staging directory can be deleted.
   */
  @Override
  public void close() {
    download.abandon(new IOException("the download of the archive did not complete"));
    WorkerPools.stopAndWait(thread);
  }
}
