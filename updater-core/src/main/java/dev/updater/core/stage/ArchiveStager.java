package dev.updater.core.stage;

import dev.updater.core.Artifact;
import dev.updater.core.internal.archive.SafeExtractor;
import dev.updater.core.spi.Stager;
import dev.updater.core.spi.TreeLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link Stager}: safely extracts {@code .tar.gz} / {@code .tgz} and {@code .zip}
 * archives (chosen by the artifact's name, else by the file's magic bytes).
 *
 * <p>The whole archive is refused with {@link dev.updater.core.spi.RejectedArchiveException} when
 * any entry is unsafe: a {@code ..} segment or an absolute or drive path; a symbolic or hard link
 * whose target leaves the release (or does not exist in it); a path through a link; a device file
 * or FIFO; a duplicate name, or two names that differ only in case or Unicode normalisation; more
 * entries, more bytes, deeper paths or longer names than the configured caps (archive bombs); a
 * truncated or corrupt archive. Executable bits are kept; setuid, setgid, sticky and group/other
 * write bits are dropped; owners and extended attributes are never applied.
 *
 * <p>What is accepted: regular files, directories (the same directory named twice is harmless and
 * accepted), symbolic links with a relative target that resolves inside the release once every
 * entry is written, and hard links to a regular file that appeared earlier in the archive, which
 * are written as independent copies (their bytes count towards {@code maxTotalBytes}). One leading
 * {@code ./} is ignored. Files are created new and never through a link; modification times are
 * not restored. The target must be an existing, empty directory that is not a symbolic link.
 *
 * <p>Its trees are exactly the archive's ({@link #exactTree()}), so a release's signed per-file
 * manifest checks them and later installs may be delta installs.
 *
 * <pre>{@code
 * Stager stager = ArchiveStager.builder().maxEntries(20_000).maxTotalBytes(2L << 30).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ArchiveStager implements Stager {
  /** Default cap on the number of entries. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;
  /** Default cap on the total bytes written: 8 GiB. */
  public static final long DEFAULT_MAX_TOTAL_BYTES = 8L << 30;
  /** Default cap on the number of segments in an entry's path. */
  public static final int DEFAULT_MAX_DEPTH = 64;
  /** Default cap on the length of an entry's path, in characters. */
  public static final int DEFAULT_MAX_PATH_LENGTH = 1024;

  private final int maxEntries;
  private final long maxTotalBytes;
  private final int maxDepth;
  private final int maxPathLength;
  private final SafeExtractor extractor;

  private ArchiveStager(Builder b) {
    this.maxEntries = b.maxEntries;
    this.maxTotalBytes = b.maxTotalBytes;
    this.maxDepth = b.maxDepth;
    this.maxPathLength = b.maxPathLength;
    this.extractor = new SafeExtractor(maxEntries, maxTotalBytes, maxDepth, maxPathLength);
  }

  /** A stager with the default caps. */
  public static ArchiveStager defaults() {
    return builder().build();
  }

  /** A builder starting from the default caps. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Extracts {@code file} into {@code target}, which must be an existing, empty directory and not a
   * symbolic link. On failure {@code target} may hold part of the archive; the caller deletes it.
   *
   * @throws dev.updater.core.spi.RejectedArchiveException when {@code target} is unfit or the
   *     archive is unsafe, too large, corrupt or of an unknown format
   * @throws IOException when reading the file or writing the tree fails
   */
  @Override
  public void stage(Path file, Artifact artifact, Path target) throws IOException {
    stage(file, artifact, target, FileListener.NONE);
  }

  /**
   * Extracts like {@link #stage(Path, Artifact, Path)}, telling {@code files} of each regular file
   * as soon as it is written and closed (a hard link is told of as the copy it is written as).
   */
  @Override
  public void stage(Path file, Artifact artifact, Path target, FileListener files)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(files, "files");
    extractor.extract(file, artifact.name(), target, files);
  }

  /** The archive's own tree, within this stager's caps. */
  @Override
  public Optional<TreeLimits> exactTree() {
    return Optional.of(new TreeLimits(maxEntries, maxTotalBytes, maxDepth, maxPathLength));
  }

  /** The most entries an archive may hold. */
  public int maxEntries() {
    return maxEntries;
  }

  /** The most bytes the extracted files may hold in total. */
  public long maxTotalBytes() {
    return maxTotalBytes;
  }

  /** The most path segments an entry name may have. */
  public int maxDepth() {
    return maxDepth;
  }

  /** The longest entry name, in characters. */
  public int maxPathLength() {
    return maxPathLength;
  }

  /** Configures an {@link ArchiveStager}; every setter checks its argument. Not thread-safe. */
  public static final class Builder {
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private long maxTotalBytes = DEFAULT_MAX_TOTAL_BYTES;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private int maxPathLength = DEFAULT_MAX_PATH_LENGTH;

    private Builder() {}

    /** The most entries (files, directories, links) an archive may hold. */
    public Builder maxEntries(int maxEntries) {
      this.maxEntries = positive("maxEntries", maxEntries);
      return this;
    }

    /** The most bytes the extracted files may hold in total, counted as they are written. */
    public Builder maxTotalBytes(long maxTotalBytes) {
      if (maxTotalBytes <= 0) {
        throw new IllegalArgumentException("maxTotalBytes must be positive, was " + maxTotalBytes);
      }
      this.maxTotalBytes = maxTotalBytes;
      return this;
    }

    /** The most path segments an entry name may have. */
    public Builder maxDepth(int maxDepth) {
      this.maxDepth = positive("maxDepth", maxDepth);
      return this;
    }

    /** The longest entry name, in characters. */
    public Builder maxPathLength(int maxPathLength) {
      this.maxPathLength = positive("maxPathLength", maxPathLength);
      return this;
    }

    /** Builds the stager. */
    public ArchiveStager build() {
      return new ArchiveStager(this);
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
