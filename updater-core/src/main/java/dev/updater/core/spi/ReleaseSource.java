package dev.updater.core.spi;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import java.io.IOException;
import java.io.InputStream;

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
