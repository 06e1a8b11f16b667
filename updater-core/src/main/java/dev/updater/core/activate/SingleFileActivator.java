package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import dev.updater.core.internal.FaultPoints;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.spi.Activator;
import dev.updater.core.spi.InvalidLayoutException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Activator} for an application that is one file (a binary or a fat jar) at a fixed
 * path: each release's file is kept in {@code releases/<version>/}, and activation writes it
 * beside the live file and renames it over it (one {@code rename(2)}: a process starting the file
 * gets the old or the new one, never a partial one), after keeping the live file as {@code
 * <name>.bak}. The state lives in {@code <home>/.updater/}, as for any install; journal, crash
 * recovery, confirmation and rollback are the pipeline's own.
 *
 * <pre>{@code
 * Layout layout = Layout.of(Path.of("/var/lib/myapp"));
 * Updater updater = Updater.builder()
 *     .home(layout.home())
 *     .source(source)
 *     .stager(SingleFileStager.create())            // the artifact is the file itself
 *     .activator(SingleFileActivator.builder(layout, Path.of("/usr/local/bin/myapp")).build())
 *     .build();
 * }</pre>
 *
 * <p>Which version is live is recorded in {@code .updater/single-file.json} with the target's
 * path. A switch records the version it goes to before the rename and the result after it; a
 * process killed in between leaves the record naming both, and {@link #active()} then compares the
 * target's bytes with the two releases' files to tell which one is live. The first activation over
 * a file that was already at the target (installed by hand) keeps it as {@code <name>.bak}, and
 * {@link #deactivate()} puts it back.
 *
 * <p>The target's directory must allow a file to be renamed over another (same file system for
 * the temporary file and the target: both are in that directory). Releases older than the newest
 * {@code keep} are deleted after each switch; the live one and the one it replaced are always kept.
 *
 * <p>Immutable and thread-safe; the pipeline calls it under the update lock.
 */
public final class SingleFileActivator implements Activator {
  /** Releases kept by default, the live and the previous one included. */
  public static final int DEFAULT_KEEP = 3;
  /** The name of the record in the install's state directory. */
  public static final String RECORD = "single-file.json";

  private static final Logger LOG = LoggerFactory.getLogger(SingleFileActivator.class);

  private final Layout layout;
  private final Path target;
  private final Optional<String> file;
  private final int keep;
  private final LiveRecord record;

  private SingleFileActivator(Builder b) {
    this.layout = b.layout;
    this.target = b.target;
    this.file = b.file;
    this.keep = b.keep;
    this.record = new LiveRecord(layout.state().resolve(RECORD));
  }

  /**
   * A builder for an activator that installs each release's file at {@code target}, with its
   * state in {@code layout}'s home.
   *
   * @param target the live file's path, such as {@code /usr/local/bin/myapp}; made absolute
   */
  public static Builder builder(Layout layout, Path target) {
    return new Builder(layout, target);
  }

  /**
   * The activator that last installed into {@code layout}'s home, rebuilt from its record with the
   * default options, so that a later command (a rollback, a status) needs no {@code --target};
   * empty when the home has no single-file record.
   *
   * @throws InvalidLayoutException when the record cannot be read
   */
  public static Optional<SingleFileActivator> recorded(Layout layout) throws IOException {
    Objects.requireNonNull(layout, "layout");
    Optional<LiveRecord.State> state = new LiveRecord(layout.state().resolve(RECORD)).read();
    return state.map(s -> builder(layout, Path.of(s.target())).build());
  }

  /** The live file's path. */
  public Path target() {
    return target;
  }

  /** The path the live file is kept at when a switch replaces it: {@code <target>.bak}. */
  public Path backup() {
    return target.resolveSibling(target.getFileName() + ".bak");
  }

  @Override
  public void preflight() throws IOException {
    checkRecordedTarget();
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) {
      throw new InvalidLayoutException("the directory of the target " + target + " does not "
          + "exist; create " + dir + " (or give another target), then run again");
    }
    if (Files.isDirectory(target) || Files.isSymbolicLink(target)) {
      throw new InvalidLayoutException("the target " + target + " is a "
          + (Files.isSymbolicLink(target) ? "symbolic link" : "directory")
          + "; single-file activation replaces a regular file: give the file's real path");
    }
    Path a = dir.resolve("." + target.getFileName() + ".probe-" + UUID.randomUUID());
    Path b = dir.resolve("." + target.getFileName() + ".probe-" + UUID.randomUUID());
    try {
      Files.createFile(a);
      Files.createFile(b);
      AtomicFiles.moveAtomically(a, b);
    } catch (AtomicMoveNotSupportedException e) {
      throw new InvalidLayoutException("renames are not atomic in " + dir
          + "; the live file cannot be replaced safely there", e);
    } catch (FileSystemException e) {
      throw new InvalidLayoutException("cannot create and rename files in " + dir + " (" + e
          + "); single-file activation writes the new file beside the live one", e);
    } finally {
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
    }
  }

  @Override
  public void prepare(Path stagedTree, Version version) throws IOException {
    Objects.requireNonNull(stagedTree, "stagedTree");
    Objects.requireNonNull(version, "version");
    if (file.isEmpty()) {
      releaseFile(stagedTree, version); // refuses a tree that is not one file before publishing
    }
  }

  @Override
  public Optional<Version> active() throws IOException {
    Optional<LiveRecord.State> state = record.read();
    if (state.isEmpty() || !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        || !state.get().target().equals(target.toString())) {
      return Optional.empty();
    }
    Optional<Version> switching = state.get().switching();
    if (switching.isPresent() && holds(switching.get())) {
      return switching; // killed after the rename, before the record said so
    }
    return state.get().live();
  }

  @Override
  public void activate(Version version) throws IOException {
    Objects.requireNonNull(version, "version");
    checkRecordedTarget();
    Path source = releaseFile(layout.release(version), version);
    Optional<LiveRecord.State> before = record.read();
    Optional<Version> previous = active();
    boolean adopted = before.map(LiveRecord.State::adopted).orElse(false);
    if (previous.isPresent() && previous.get().toString().equals(version.toString())) {
      if (before.orElseThrow().switching().isPresent()) {
        record.write(new LiveRecord.State(target.toString(), previous, Optional.empty(), adopted));
      }
      LOG.debug("Release {} is already live at {}", version, target);
      return;
    }
    if (previous.isEmpty() && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      adopted = true; // a file installed by hand: kept as .bak, put back by deactivate()
    }
    record.write(new LiveRecord.State(target.toString(), previous, Optional.of(version), adopted));
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      keepAsBackup();
    }
    Set<PosixFilePermission> mode = permissions(source);
    FaultPoints.hit("single-file-before-rename");
    AtomicFiles.write(target, out -> {
      try (InputStream in = Files.newInputStream(source)) {
        in.transferTo(out);
      }
    }, mode);
    FaultPoints.hit("single-file-after-rename");
    record.write(new LiveRecord.State(target.toString(), Optional.of(version), Optional.empty(),
        adopted));
    LOG.info("Replaced {} with release {} (was {}; kept as {})", target, version,
        previous.map(Version::toString).orElse("nothing"), backup().getFileName());
    try {
      ReleaseDirectories.prune(layout, keep, version, previous);
    } catch (IOException e) {
      LOG.warn("Switched to {} but could not prune old releases: {}", version, e.toString());
    }
  }

  @Override
  public void deactivate() throws IOException {
    Optional<LiveRecord.State> state = record.read();
    if (state.isEmpty()) {
      return;
    }
    boolean adopted = state.get().adopted();
    if (adopted && Files.isRegularFile(backup(), LinkOption.NOFOLLOW_LINKS)) {
      AtomicFiles.moveAtomically(backup(), target);
      LOG.info("Put the file that was at {} before the first install back", target);
    } else {
      Files.deleteIfExists(target);
      LOG.info("Removed {}: no release is live", target);
    }
    AtomicFiles.syncDirectory(target.getParent());
    record.write(new LiveRecord.State(target.toString(), Optional.empty(), Optional.empty(),
        false));
  }

  /** Keeps the live file as {@code <name>.bak}: a hard link when it can, else a copy. */
  private void keepAsBackup() throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".bak-" + UUID.randomUUID());
    try {
      try {
        Files.createLink(tmp, target);
      } catch (UnsupportedOperationException | FileSystemException e) {
        Files.copy(target, tmp, StandardCopyOption.COPY_ATTRIBUTES);
      }
      AtomicFiles.moveAtomically(tmp, backup());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** True when the target holds exactly the bytes of {@code version}'s file. */
  private boolean holds(Version version) throws IOException {
    Path dir = layout.release(version);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      return Files.mismatch(target, releaseFile(dir, version)) == -1L;
    } catch (InvalidLayoutException e) {
      return false;
    }
  }

  /** The file of the release in {@code tree}: the configured one, or the only regular file. */
  private Path releaseFile(Path tree, Version version) throws IOException {
    if (file.isPresent()) {
      Path named = tree.resolve(file.get());
      if (!Files.isRegularFile(named, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidLayoutException("release " + version + " has no regular file "
            + file.get() + " (in " + tree + "); publish it with that file, or name another");
      }
      return named;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tree)) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          files.add(entry);
        }
      }
    }
    if (files.size() != 1) {
      throw new InvalidLayoutException("release " + version + " holds " + files.size()
          + " files at its top, not one: single-file activation installs one file. Publish the "
          + "binary or jar itself (SingleFileStager), or name the file to install (file(...))");
    }
    return files.get(0);
  }

  private void checkRecordedTarget() throws IOException {
    Optional<LiveRecord.State> state = record.read();
    if (state.isPresent() && !state.get().target().equals(target.toString())
        && state.get().live().isPresent()) {
      throw new InvalidLayoutException("this home installs its releases at "
          + state.get().target() + ", not at " + target + "; give that target, or roll the "
          + "install back to nothing first");
    }
  }

  private static Set<PosixFilePermission> permissions(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return Files.getPosixFilePermissions(file);
    }
    return Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  /** Configures a {@link SingleFileActivator}. Not thread-safe. */
  public static final class Builder {
    private final Layout layout;
    private final Path target;
    private Optional<String> file = Optional.empty();
    private int keep = DEFAULT_KEEP;

    private Builder(Layout layout, Path target) {
      this.layout = Objects.requireNonNull(layout, "layout");
      Objects.requireNonNull(target, "target");
      Path absolute = target.toAbsolutePath().normalize();
      if (absolute.getFileName() == null || absolute.getParent() == null) {
        throw new IllegalArgumentException("the target " + target + " names no file");
      }
      if (absolute.startsWith(layout.home().toAbsolutePath().normalize().resolve("releases"))
          || absolute.startsWith(layout.state().toAbsolutePath().normalize())) {
        throw new IllegalArgumentException("the target " + target + " is inside the home's "
            + "releases/ or .updater/, which the updater manages; give the application's path");
      }
      this.target = absolute;
    }

    /**
     * The release's file to install, relative to the release, such as {@code bin/myapp} (when a
     * build hook makes it, or the artifact is an archive). Default: the only regular file at the
     * top of the release, as {@code SingleFileStager} stages it.
     */
    public Builder file(String relativePath) {
      Objects.requireNonNull(relativePath, "relativePath");
      this.file = Optional.of(SharedPaths.normalise(relativePath).get(0));
      return this;
    }

    /** How many releases to keep in {@code releases/}, at least 2 (the live and the previous). */
    public Builder keep(int keep) {
      this.keep = ReleaseDirectories.checkKeep(keep);
      return this;
    }

    /** Builds the activator. */
    public SingleFileActivator build() {
      return new SingleFileActivator(this);
    }
  }
}
