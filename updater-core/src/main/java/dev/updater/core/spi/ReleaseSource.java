package dev.updater.core.spi;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * Where releases come from: an update repository on disk, over HTTP, or anything else.
 *
 * <p>The source lists releases and opens artifact bytes; it does not verify artifacts (the pipeline
 * checks size and SHA-256 while it streams) but it is responsible for the authenticity of the
 * index it returns (a signed source verifies signatures in {@link #index}).
 *
 * <p>Implementations must be thread-safe: the updater may check while another thread installs.
 *
 * <pre>{@code
 * ReleaseSource source = DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp"));
 * }</pre>
 */
public interface ReleaseSource {

  /**
   * Reads the index of {@code channel}.
   *
   * @throws java.nio.file.NoSuchFileException when the channel does not exist
   * @throws VerificationException when the index is malformed or not authentic
   * @throws IOException when the repository cannot be read
   */
  ReleaseIndex index(String channel) throws IOException;

  /**
   * Opens the bytes of {@code artifact}, starting {@code offset} bytes in (to resume a download).
   * The caller closes the stream and reads at most {@code artifact.size() - offset + 1} bytes.
   *
   * @throws java.nio.file.NoSuchFileException when the artifact is not in the repository
   * @throws IOException when it cannot be read
   */
  InputStream open(Artifact artifact, long offset) throws IOException;

  /**
   * Opens the bytes of {@code artifact} from {@code offset} on, like {@link #open}, but only when
   * the source's copy is still the one {@code validator} names (a value an earlier call returned in
   * {@link Opened#validator()}); when it is not, the answer holds the whole current copy from byte
   * 0, so that a partial download is restarted instead of being finished with the bytes of another
   * file. A downloader keeps the validator beside its partial file and passes it back when it
   * resumes.
   *
   * <p>The default opens with {@link #open} and names no validator: sources that cannot tell
   * copies apart resume blindly, and the SHA-256 of the whole file still catches a mix. The HTTP
   * source sends {@code If-Range} with the {@code ETag} or {@code Last-Modified} of the first
   * answer.
   *
   * @throws java.nio.file.NoSuchFileException when the artifact is not in the repository
   * @throws IOException when it cannot be read
   */
  default Opened resume(Artifact artifact, long offset, Optional<String> validator)
      throws IOException {
    return new Opened(open(artifact, offset), offset, Optional.empty());
  }

  /**
   * Opens the {@code length} bytes of {@code artifact} from {@code offset} on, for a caller that
   * knows the file's layout and needs one part of it (a delta install reads objects out of a
   * pack of a repository this way). The answer's {@link Opened#offset()} says where its body
   * starts: at {@code offset}, or at 0 when the source can only send the file from its start (an
   * HTTP server that ignores {@code Range}); the body may run on past the part: the caller reads
   * what it needs and closes it. The caller checks what it reads, so a source need not.
   *
   * <p>The default opens with {@link #open} from {@code offset}. The HTTP source asks for exactly
   * the part, with one {@code Range: bytes=<first>-<last>} request.
   *
   * @throws IllegalArgumentException when the part is not inside {@code artifact.size()}
   * @throws java.nio.file.NoSuchFileException when the artifact is not in the repository
   * @throws VerificationException when the source's file is shorter than the part
   * @throws IOException when it cannot be read
   */
  default Opened openPart(Artifact artifact, long offset, long length) throws IOException {
    if (offset < 0 || length < 1 || offset + length > artifact.size()) {
      throw new IllegalArgumentException("bytes " + offset + " to " + (offset + length - 1)
          + " are not inside the " + artifact.size() + " bytes of " + artifact.name());
    }
    return new Opened(open(artifact, offset), offset, Optional.empty());
  }

  /**
   * What {@link #resume} opened.
   *
   * @param body the bytes from {@code offset} on; the caller closes it
   * @param offset where {@code body} starts in the file: the offset asked for, or 0 when the
   *     source's copy changed since the validator was given
   * @param validator what names the copy being sent (for {@link #resume} next time), if the
   *     source can tell
   */
  record Opened(InputStream body, long offset, Optional<String> validator) {
    public Opened {
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(validator, "validator");
      if (offset < 0) {
        throw new IllegalArgumentException("offset must not be negative, was " + offset);
      }
    }
  }

  /**
   * Whether this source serves the content-addressed file objects of a repository ({@code
   * objects/<aa>/<sha256>}), which delta installs fetch through {@link #openObject}. False by
   * default: the release is then installed from its archive.
   */
  default boolean servesObjects() {
    return false;
  }

  /**
   * Opens the object holding one file of {@code release}'s tree: the file whose SHA-256 is {@code
   * sha256} and length {@code size}, as its manifest lists it. The caller closes the stream, reads
   * at most {@code size + 1} bytes and checks size and SHA-256 itself, so a source need not.
   * Called from several threads at once for one release. Only called when {@link #servesObjects}.
   *
   * @throws java.nio.file.NoSuchFileException when the repository has no such object
   * @throws IOException when it cannot be read
   */
  default InputStream openObject(Release release, String sha256, long size) throws IOException {
    throw new UnsupportedOperationException(describe() + " serves no per-file objects");
  }

  /** A short description for logs and errors, such as the repository's location. */
  default String describe() {
    return getClass().getSimpleName();
  }
}
