package dev.updater.core.internal;

import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.repository.Sha256;
import dev.updater.core.Artifact;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an artifact into the private downloads directory, hashing as it writes (one pass over the
 * bytes), stopping at the declared size, and resuming a {@code .part} file left by an interrupted
 * attempt. The file is renamed to its final name only when size and SHA-256 match. Not API.
 */
public final class Downloader {
  private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
  private static final int BUFFER = 256 * 1024;
  /** Progress is reported about every this many bytes. */
  private static final long PROGRESS_EVERY = 1024 * 1024;

  /** Receives bytes done and the total. */
  interface ProgressSink {
    void progress(long done, long total);
  }

  private final Path dir;
  private final Path prefetched;

  /** A downloader into {@code dir} that never takes a pre-downloaded copy. */
  Downloader(Path dir) {
    this(dir, null);
  }

  /**
   * A downloader into {@code dir} that first takes a verified copy that {@link Prefetcher} left in
   * {@code prefetched} (null for none), moving it into {@code dir} and hashing it again.
   */
  Downloader(Path dir, Path prefetched) {
    this.dir = dir;
    this.prefetched = prefetched;
  }

  /** Where a verified copy of {@code artifact} lives once downloaded. */
  Path verifiedPath(Artifact artifact) {
    return dir.resolve(artifact.sha256() + "-" + artifact.name());
  }

  /** Where {@link #download} writes {@code artifact} until it is verified. */
  Path partPath(Artifact artifact) {
    return dir.resolve(artifact.sha256() + ".part");
  }

  /**
   * True when a download of {@code artifact} would start from its first byte: no partial or
   * whole copy of it is here, nor a pre-downloaded one.
   */
  boolean startsAfresh(Artifact artifact) {
    return !Files.exists(partPath(artifact), LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(verifiedPath(artifact), LinkOption.NOFOLLOW_LINKS)
        && (prefetched == null
            || !Files.exists(prefetchedCopy(artifact), LinkOption.NOFOLLOW_LINKS));
  }

  /** Where {@link Prefetcher} leaves a copy of {@code artifact}; only with {@code prefetched}. */
  private Path prefetchedCopy(Artifact artifact) {
    return prefetched.resolve(verifiedPath(artifact).getFileName().toString());
  }

  /** What {@link #download} fetched: a local file, how many bytes it holds and their SHA-256. */
  record Fetched(Path file, long size, String sha256) {}

  /**
   * Streams {@code artifact} into a private local file, hashing as it writes, or finds a verified
   * copy from an earlier attempt. Stops as soon as the source sends more than the declared size.
   *
   * @throws VerificationException when the source sends more than the declared size; the partial
   *     file is deleted
   * @throws IOException when the source fails; a partial file is kept to resume from
   */
  Fetched download(ReleaseSource source, Artifact artifact, ProgressSink sink) throws IOException {
    return download(source, artifact, sink, null);
  }

  /**
   * Downloads like {@link #download(ReleaseSource, Artifact, ProgressSink)}, with {@code space}
   * (null for none) told of each chunk before it is written. When the space runs out (the watch
   * stops the download, or a write fails on a full disk) the partial file is deleted and the
   * failure is {@code INSUFFICIENT_SPACE}.
   */
  Fetched download(ReleaseSource source, Artifact artifact, ProgressSink sink,
      FreeSpace.Watch space) throws IOException {
    createPrivateDirectory(dir);
    Path done = verifiedPath(artifact);
    takePrefetched(artifact, done);
    if (Files.isRegularFile(done, LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest digest = sha256();
      hashInto(done, digest);
      String sha = HexFormat.of().formatHex(digest.digest());
      long size = Files.size(done);
      if (size == artifact.size() && sha.equals(artifact.sha256())) {
        LOG.info("Found an earlier download of {}; it hashed as published", artifact.name());
        sink.progress(artifact.size(), artifact.size());
        return new Fetched(done, size, sha);
      }
      // torn by a power loss (downloads are not forced to disk) or changed since: fetch it again
      LOG.warn("The earlier download of {} no longer hashes as published; downloading it again",
          artifact.name());
      Files.delete(done);
    }
    Path part = partPath(artifact);
    Path validatorFile = validatorPath(artifact);
    MessageDigest digest = sha256();
    long offset = resumeOffset(part, artifact, digest);
    Optional<String> validator = offset > 0 ? readValidator(validatorFile) : Optional.empty();
    long written;
    try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      ReleaseSource.Opened opened = source.resume(artifact, offset, validator);
      try (InputStream in = opened.body()) {
        if (opened.offset() != offset) {
          offset = restartFromZero(opened, offset, artifact, out, digest);
        }
        // kept beside the .part, so that the next attempt resumes only the same copy
        writeValidator(validatorFile, opened.validator());
        out.position(offset);
        written = copy(in, new Sink(out, space, part, artifact), digest, artifact, offset,
            sink);
      }
      // Not forced to disk: nothing trusts these bytes after a crash without hashing them again
      // (an earlier download or a .part is re-hashed above before use), so a file torn by a power
      // loss is fetched again, never staged; forcing 100 MB here only made the install wait.
    } catch (VerificationException | UpdateException e) {
      Files.deleteIfExists(part);
      Files.deleteIfExists(validatorFile);
      throw e;
    }
    return new Fetched(part, written, HexFormat.of().formatHex(digest.digest()));
  }

  private Path validatorPath(Artifact artifact) {
    return dir.resolve(artifact.sha256() + ".part.validator");
  }

  /**
   * The source's copy changed since the partial download began (its validator no longer
   * matches) and it sends the whole new copy: the partial file is emptied and hashing starts over,
   * so no byte of the old copy is mixed with the new one.
   */
  private static long restartFromZero(ReleaseSource.Opened opened, long offset, Artifact artifact,
      FileChannel out, MessageDigest digest) throws IOException {
    if (opened.offset() != 0) {
      throw new VerificationException(artifact.name() + ": asked to resume at byte " + offset
          + " but the source answered from byte " + opened.offset() + "; the partial download "
          + "is discarded");
    }
    LOG.warn("The copy of {} on the source changed since the partial download of {} bytes; "
        + "downloading it again from the start", artifact.name(), offset);
    out.truncate(0);
    digest.reset();
    return 0;
  }

  /** The validator kept beside a partial download, if there is a usable one. */
  private static Optional<String> readValidator(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 1024) {
        return Optional.empty();
      }
      String v = Files.readString(file, StandardCharsets.UTF_8).strip();
      boolean printable = !v.isEmpty() && v.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
      return printable ? Optional.of(v) : Optional.empty();
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty(); // resumed without it: the SHA-256 of the whole file still decides
    }
  }

  private static void writeValidator(Path file, Optional<String> validator) throws IOException {
    if (validator.isPresent()) {
      Files.writeString(file, validator.get() + "\n", StandardCharsets.UTF_8);
    } else {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Moves a pre-downloaded verified copy of {@code artifact} to {@code done}, when there is one
   * and no copy is at {@code done} yet. The copy is then hashed again like any earlier download,
   * and {@link #verify} checks its size and SHA-256 before it is used.
   */
  private void takePrefetched(Artifact artifact, Path done) throws IOException {
    if (prefetched == null || Files.isRegularFile(done, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path copy = prefetchedCopy(artifact);
    if (!Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      // not forced: like every download, the copy is hashed again before use after a power loss
      AtomicFiles.moveAtomically(copy, done);
      LOG.info("Using the pre-downloaded copy of {}; it is verified again before use",
          artifact.name());
    } catch (java.nio.file.NoSuchFileException e) {
      // A pre-download of a newer release dropped it at this instant: download it instead.
      LOG.info("The pre-downloaded copy of {} is gone; downloading it", artifact.name());
    }
  }

  /**
   * Checks the size and SHA-256 of {@code fetched} against {@code artifact} and gives the verified
   * file its final name.
   *
   * @throws VerificationException when they differ; the file is deleted
   */
  Path verify(Fetched fetched, Artifact artifact) throws IOException {
    if (fetched.size() != artifact.size() || !fetched.sha256().equals(artifact.sha256())) {
      Files.deleteIfExists(fetched.file());
      Files.deleteIfExists(validatorPath(artifact));
      check(artifact, fetched.size(), fetched.sha256(), fetched.size() != artifact.size()
          ? "; the partial file was deleted" : "; the file was deleted");
    }
    Files.deleteIfExists(validatorPath(artifact));
    Path done = verifiedPath(artifact);
    if (!fetched.file().equals(done)) {
      // The rename is not forced: the bytes are not either, and a download found after a power
      // loss is hashed again before use, so a durable name would only point at unforced bytes.
      AtomicFiles.moveAtomically(fetched.file(), done);
    }
    return done;
  }

  /**
   * Refuses {@code size} bytes hashing to {@code sha256} unless they are {@code artifact}'s: the
   * count first, then the SHA-256. {@code dropped} tells, in the message, what became of the bytes
   * (such as {@code "; the file was deleted"}, or empty).
   *
   * @throws VerificationException when they differ, saying how and what to do
   */
  static void check(Artifact artifact, long size, String sha256, String dropped)
      throws VerificationException {
    if (size > artifact.size()) {
      throw new VerificationException(artifact.name() + ": the source sent more than the declared "
          + artifact.size() + " bytes; the download was stopped" + dropped);
    }
    if (size < artifact.size()) {
      throw new VerificationException(artifact.name() + ": the source ended after " + size
          + " of the declared " + artifact.size() + " bytes" + dropped + ". Try again; if it "
          + "persists the repository is damaged");
    }
    if (!sha256.equals(artifact.sha256())) {
      throw new VerificationException(artifact.name() + ": SHA-256 mismatch, expected "
          + artifact.sha256() + " but the downloaded bytes hash to " + sha256 + dropped
          + ". The repository or a proxy serves other bytes than were published: check the "
          + "mirror, or republish the release");
    }
  }

  private static long copy(InputStream in, Sink out, MessageDigest digest,
      Artifact artifact, long offset, ProgressSink sink) throws IOException {
    byte[] buf = new byte[BUFFER];
    ByteBuffer wrap = ByteBuffer.wrap(buf);
    long written = offset;
    long nextReport = offset + PROGRESS_EVERY;
    int n;
    while ((n = in.read(buf)) != -1) {
      if (written + n > artifact.size()) {
        throw new VerificationException(artifact.name() + ": the source sent more than the declared "
            + artifact.size() + " bytes; the download was stopped and deleted");
      }
      digest.update(buf, 0, n);
      wrap.clear().limit(n);
      out.write(wrap, artifact.size() - written);
      written += n;
      FaultPoints.hit("mid-download"); // a crash test kills here with a .part holding a prefix
      if (written >= nextReport) {
        sink.progress(written, artifact.size());
        nextReport = written + PROGRESS_EVERY;
      }
    }
    sink.progress(written, artifact.size());
    return written;
  }

  /**
   * The local end of a download: writes after asking the space watch, and reports a write that
   * fails on a full disk as {@code INSUFFICIENT_SPACE} (the caller deletes the partial file).
   */
  private record Sink(FileChannel out, FreeSpace.Watch space, Path part, Artifact artifact) {
    void write(ByteBuffer bytes, long remaining) throws IOException {
      if (space != null) {
        space.wrote(bytes.remaining());
      }
      try {
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
      } catch (IOException e) {
        long usable = FreeSpace.store(part).getUsableSpace();
        boolean full = usable < remaining;
        throw new UpdateException(full ? Reason.INSUFFICIENT_SPACE : Reason.IO_ERROR,
            Step.DOWNLOAD, "cannot write the download of " + artifact.name() + " into " + part
            + ": " + Failures.describe(e) + " (" + FreeSpace.megabytes(usable) + " free, "
            + FreeSpace.megabytes(remaining) + " still to download); the partial file was "
            + "deleted and nothing else was touched. " + (full ? "Free some space" : "Check the "
            + "downloads directory") + " and try again", e);
      }
    }
  }

  /** Hashes an existing {@code .part} file to resume after it; 0 when there is none to resume. */
  private static long resumeOffset(Path part, Artifact artifact, MessageDigest digest)
      throws IOException {
    if (!Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(part);
      return 0;
    }
    long size = Files.size(part);
    if (size == 0 || size > artifact.size()) {
      Files.delete(part);
      return 0;
    }
    hashInto(part, digest);
    LOG.info("Resuming the download of {} after {} of {} bytes", artifact.name(), size,
        artifact.size());
    return size;
  }

  private static void hashInto(Path file, MessageDigest digest) throws IOException {
    Sha256.update(digest, file);
  }

  /** Deletes every download, verified or partial; a failure is logged, not thrown. */
  void clearQuietly() {
    try {
      FileTrees.deleteRecursively(dir);
    } catch (IOException e) {
      LOG.warn("Could not delete the downloads in {}: {}", dir, e.toString());
    }
  }

  static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.createDirectories(dir.getParent());
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectory(dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectory(dir);
    }
  }

  /** A digest of the fastest SHA-256 implementation of this JVM (see {@link Sha256}). */
  public static MessageDigest sha256() {
    return Sha256.newDigest();
  }
}
