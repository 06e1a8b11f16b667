package dev.updater.core.internal;

import dev.updater.core.Artifact;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.Stager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Watches what a stager writes: when no signed manifest declares the release's size, the bytes
 * stay within the allowed inflation of the artifact (with a manifest, the closed-world check
 * compares the tree with it, and the free space was measured by it); and the file system keeps
 * its reserve ({@link FreeSpace.Watch}). A stager that tells of its writes ahead
 * ({@link Stager.FileListener#writing}) is stopped before the bytes are written, by the sizes its
 * entries declare and then chunk by chunk; one that does not is stopped after each file. Not API.
 *
 * <p>Used by the staging thread only; not thread-safe.
 */
final class StagingWatch implements Stager.FileListener {
  private final Artifact artifact;
  private final long limit;
  private final double ratio;
  private final FreeSpace.Watch space;
  private String current;
  private long written;
  private boolean told;

  /**
   * @param declared whether a signed manifest declares the release's size (no ratio applies)
   * @param ratio how many times the artifact the files may hold when no size is declared
   */
  StagingWatch(Artifact artifact, boolean declared, double ratio, FreeSpace.Watch space) {
    this.artifact = artifact;
    this.ratio = ratio;
    this.limit = declared ? Long.MAX_VALUE
        : (long) Math.min(Long.MAX_VALUE, Math.max(1, artifact.size()) * ratio);
    this.space = space;
  }

  /** A listener that watches, then tells {@code next} of each written file. */
  Stager.FileListener then(Stager.FileListener next) {
    return new Stager.FileListener() {
      @Override
      public void written(String name, Path file) throws IOException {
        StagingWatch.this.written(name, file);
        next.written(name, file);
      }

      @Override
      public void writing(String name, long bytes, long declaredSize) throws IOException {
        StagingWatch.this.writing(name, bytes, declaredSize);
      }
    };
  }

  @Override
  public void writing(String name, long bytes, long declaredSize) throws IOException {
    told = true;
    if (!name.equals(current)) {
      current = name;
      if (declaredSize > 0) {
        within(name, written + declaredSize);
        space.ahead(declaredSize);
      }
    }
    within(name, written + bytes);
    space.wrote(bytes);
    written += bytes;
  }

  @Override
  public void written(String name, Path file) throws IOException {
    current = null;
    if (!told) { // a stager that does not tell ahead: count the file now that it is written
      long size = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).size();
      within(name, written + size);
      space.wrote(size);
      written += size;
    }
  }

  private void within(String name, long total) throws RejectedArchiveException {
    if (total <= limit) {
      return;
    }
    throw new RejectedArchiveException("the archive " + artifact.name() + " (" + artifact.size()
        + " bytes) expands to more than " + ratio + " times its size (reached at '" + name
        + "', " + total + " bytes) and no signed per-file manifest declares its size: refused as"
        + " a possible archive bomb. Publish the release with a per-file manifest (updater"
        + " publish writes one), or raise Updater.Builder.maxInflationRatio if it really"
        + " expands that much");
  }
}
