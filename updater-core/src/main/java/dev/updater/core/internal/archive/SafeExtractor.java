package dev.updater.core.internal.archive;

import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.Stager.FileListener;
import dev.updater.core.spi.TreeLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workings of {@link dev.updater.core.stage.ArchiveStager}: checks the target, picks the format and
 * streams the archive through a {@link TreeWriter}. Not API.
 *
 * <p>Immutable and thread-safe; each call works on its own state.
 */
public final class SafeExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(SafeExtractor.class);

  /** The archive formats, by name or by magic bytes. */
  enum Format { TAR_GZ, ZIP }

  private final int maxEntries;
  private final long maxTotalBytes;
  private final int maxDepth;
  private final int maxPathLength;

  /** An extractor within {@code limits}, such as the exact tree of an {@code ArchiveStager}. */
  public SafeExtractor(TreeLimits limits) {
    this(limits.maxEntries(), limits.maxTotalBytes(), limits.maxDepth(), limits.maxPathLength());
  }

  public SafeExtractor(int maxEntries, long maxTotalBytes, int maxDepth, int maxPathLength) {
    this.maxEntries = maxEntries;
    this.maxTotalBytes = maxTotalBytes;
    this.maxDepth = maxDepth;
    this.maxPathLength = maxPathLength;
  }

  /**
   * Extracts {@code file} into {@code target}, an existing empty directory that is not a link.
   *
   * @throws RejectedArchiveException when the target is unfit or the archive unsafe or corrupt
   */
  public void extract(Path file, String artifactName, Path target) throws IOException {
    extract(file, artifactName, target, FileListener.NONE);
  }

  /**
   * Extracts like {@link #extract(Path, String, Path)}, telling {@code listener} of each regular
   * file as soon as it is written and closed, and of each chunk before it is written.
   */
  public void extract(Path file, String artifactName, Path target, FileListener listener)
      throws IOException {
    checkTarget(target);
    Format format = format(file, artifactName);
    write(target, listener, artifactName, format.name(), out -> {
      if (format == Format.TAR_GZ) {
        TarGzReader.read(file, out);
      } else {
        ZipReader.read(file, out);
      }
    });
  }

  /**
   * Extracts the {@code .tar.gz} read from {@code in} (not closed) into {@code target} like {@link
   * #extract(Path, String, Path, FileListener)}: for an archive read while it downloads.
   *
   * @throws RejectedArchiveException when the target is unfit or the archive unsafe or corrupt
   */
  public void extractTarGz(InputStream in, String artifactName, Path target,
      FileListener listener) throws IOException {
    checkTarget(target);
    write(target, listener, artifactName, "streamed", out -> TarGzReader.read(in, out));
  }

  /** Reads the entries of an archive into a {@link TreeWriter}. */
  private interface Entries {
    void writeTo(TreeWriter out) throws IOException;
  }

  /** Writes {@code entries} into {@code target} within this extractor's caps, then finishes. */
  private void write(Path target, FileListener listener, String artifactName, String how,
      Entries entries) throws IOException {
    TreeWriter out = new TreeWriter(target, new EntryNames(maxDepth, maxPathLength), maxEntries,
        maxTotalBytes, listener);
    entries.writeTo(out);
    out.finish();
    LOG.debug("Staged {} ({}) into {}: {} bytes", artifactName, how, target, out.totalBytes());
  }

  /** True when {@code artifactName} names a {@code .tar.gz} (or {@code .tgz}) archive. */
  public static boolean namesTarGz(String artifactName) {
    String name = artifactName.toLowerCase(Locale.ROOT);
    return name.endsWith(".tar.gz") || name.endsWith(".tgz");
  }

  public static void checkTarget(Path target) throws IOException {
    if (Files.isSymbolicLink(target)) {
      throw Rejections.archive("the staging directory " + target + " is a symbolic link",
          "stage into a fresh directory created for this install");
    }
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw Rejections.archive("the staging directory " + target + " does not exist or is not a"
          + " directory", "stage into a fresh directory created for this install");
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(target)) {
      if (children.iterator().hasNext()) {
        throw Rejections.archive("the staging directory " + target + " is not empty (left over"
            + " from an earlier attempt?)", "delete it and stage into a fresh directory");
      }
    }
  }

  static Format format(Path file, String artifactName) throws IOException {
    if (namesTarGz(artifactName)) {
      return Format.TAR_GZ;
    }
    if (artifactName.toLowerCase(Locale.ROOT).endsWith(".zip")) {
      return Format.ZIP;
    }
    byte[] magic = new byte[4];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while (n < magic.length && (r = in.read(magic, n, magic.length - n)) != -1) {
        n += r;
      }
    }
    if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return Format.TAR_GZ;
    }
    if (n == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
      return Format.ZIP;
    }
    throw Rejections.archive("the artifact '" + Rejections.printable(artifactName)
        + "' is neither a .tar.gz nor a .zip archive (judged by its name and its first bytes)",
        "publish the release as a .tar.gz/.tgz (gzip-compressed tar) or a .zip archive");
  }
}
