package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.activate.SharedPaths;
import dev.updater.core.spi.Activator;
import dev.updater.core.spi.InvalidLayoutException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Activator}: {@code <home>/current} is a relative symbolic link to
 * {@code releases/<version>}, switched by creating a fresh link beside it and renaming it over the
 * old one (one {@code rename(2)}: a reader sees the old or the new release, never neither), then
 * forcing the home directory to disk.
 *
 * <p>Shared paths ({@code data}, {@code config}, {@code logs}, ...) live in {@code <home>/shared/}
 * and are linked into each staged release before it is published. When a release ships a shared
 * path and {@code shared/} does not have it yet, the shipped copy seeds {@code shared/}; otherwise
 * the shipped copy is replaced by the link. After each switch the newest {@code keep} releases are
 * retained and older ones deleted; the live release and the one it replaced are never deleted.
 *
 * <pre>{@code
 * Activator activator = SymlinkActivator.builder(Layout.of(home))
 *     .shared("data", "config", "logs")
 *     .keep(3)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the pipeline calls it under the update lock.
 */
public final class SymlinkActivator implements Activator {
  /** Releases kept by default, the live and the previous one included. */
  public static final int DEFAULT_KEEP = 3;

  private static final Logger LOG = LoggerFactory.getLogger(SymlinkActivator.class);
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String TMP_PREFIX = ".current.tmp-";

  private final Layout layout;
  private final List<String> shared;
  private final int keep;

  private SymlinkActivator(Builder b) {
    this.layout = b.layout;
    this.shared = List.copyOf(b.shared);
    this.keep = b.keep;
  }

  /** An activator on {@code layout} with no shared paths that keeps {@value #DEFAULT_KEEP} releases. */
  public static SymlinkActivator create(Layout layout) {
    return builder(layout).build();
  }

  /** A builder for an activator on {@code layout}. */
  public static Builder builder(Layout layout) {
    return new Builder(layout);
  }

  @Override
  public void preflight() throws IOException {
    readCurrent(); // refuses a real directory or a link to something other than a release
    Path home = layout.home();
    if (!Files.isDirectory(home)) {
      return; // first install: nothing here yet that a switch could damage
    }
    Path releases = layout.releases();
    if (Files.exists(releases, NOFOLLOW) && !Files.isDirectory(releases, NOFOLLOW)) {
      throw new InvalidLayoutException(releases + " must be a real directory (not a link or a"
          + " file): shared paths are linked relative to it");
    }
    FileStore homeStore = Files.getFileStore(home);
    for (Path p : List.of(releases, layout.state())) {
      if (Files.exists(p) && !Files.getFileStore(p).equals(homeStore)) {
        throw new InvalidLayoutException(p + " is on another file system than " + home
            + " (" + Files.getFileStore(p) + " vs " + homeStore + "); releases cannot be moved"
            + " into place or switched atomically across file systems");
      }
    }
    probeAtomicRename(home);
  }

  /** Creates a link in {@code home} and renames it over another, as {@link #activate} will. */
  private static void probeAtomicRename(Path home) throws IOException {
    Path a = home.resolve(TMP_PREFIX + "probe-" + UUID.randomUUID());
    Path b = home.resolve(TMP_PREFIX + "probe-" + UUID.randomUUID());
    try {
      Path target = home.getFileSystem().getPath("releases");
      Files.createSymbolicLink(a, target);
      Files.createSymbolicLink(b, target);
      AtomicFiles.moveAtomically(a, b);
    } catch (AtomicMoveNotSupportedException e) {
      throw new InvalidLayoutException("renames are not atomic in " + home
          + "; the live release cannot be switched safely there", e);
    } catch (UnsupportedOperationException | FileSystemException e) {
      throw new InvalidLayoutException("cannot create and rename symbolic links in " + home
          + " (" + e + "); symlink activation needs both", e);
    } finally {
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
    }
  }

  @Override
  public void prepare(Path stagedTree, Version version) throws IOException {
    Objects.requireNonNull(stagedTree, "stagedTree");
    Objects.requireNonNull(version, "version");
    if (!Files.isDirectory(stagedTree, NOFOLLOW)) {
      throw new NoSuchFileException(stagedTree.toString(), null, "not a directory");
    }
    Path finalTree = layout.release(version);
    for (String path : shared) {
      SharedPaths.link(stagedTree, finalTree, layout.shared(), path);
    }
  }

  @Override
  public Optional<Version> active() throws IOException {
    return readCurrent();
  }

  @Override
  public void activate(Version version) throws IOException {
    Objects.requireNonNull(version, "version");
    Path home = layout.home();
    Path release = layout.release(version);
    if (!Files.isDirectory(release, NOFOLLOW)) {
      throw new InvalidLayoutException(
          "cannot activate " + version + ": " + release + " is not a directory");
    }
    Optional<Version> previous = readCurrentForSwitch();
    Path target = home.getFileSystem().getPath("releases", version.toString());
    if (previous.isPresent() && previous.get().toString().equals(version.toString())) {
      LOG.debug("Release {} is already live", version);
      return;
    }
    Path tmp = home.resolve(TMP_PREFIX + UUID.randomUUID());
    try {
      Files.createSymbolicLink(tmp, target);
      AtomicFiles.moveAtomically(tmp, layout.current());
    } finally {
      Files.deleteIfExists(tmp);
    }
    AtomicFiles.syncDirectory(home);
    LOG.info("Switched {} from {} to {}", layout.current(),
        previous.map(Version::toString).orElse("nothing"), version);
    try {
      prune(version, previous);
    } catch (IOException e) {
      // The switch is done and durable; a release left on disk is retried at the next switch.
      LOG.warn("Switched to {} but could not prune old releases: {}", version, e.toString());
    }
  }

  @Override
  public void deactivate() throws IOException {
    Path current = layout.current();
    if (!Files.exists(current, NOFOLLOW)) {
      return;
    }
    if (!Files.isSymbolicLink(current)) {
      throw legacyLayout(current);
    }
    Files.delete(current);
    AtomicFiles.syncDirectory(layout.home());
    LOG.info("Removed {}: no release is live", current);
  }

  /** The live version; refuses a {@code current} that is not a link to a release. */
  private Optional<Version> readCurrent() throws IOException {
    Path current = layout.current();
    if (!Files.exists(current, NOFOLLOW)) {
      return Optional.empty();
    }
    if (!Files.isSymbolicLink(current)) {
      throw legacyLayout(current);
    }
    Path target = Files.readSymbolicLink(current);
    return Optional.of(releaseVersion(target).orElseThrow(() -> new InvalidLayoutException(
        current + " points at " + target + ", not at releases/<version>; point it at the live"
            + " release (ln -sfn releases/<version> current) or remove it, then run again")));
  }

  /**
   * Like {@link #readCurrent()}, except that a link to something other than a release is replaced
   * (with a warning) rather than refused: renaming over a link is as safe as ever.
   */
  private Optional<Version> readCurrentForSwitch() throws IOException {
    try {
      return readCurrent();
    } catch (InvalidLayoutException e) {
      if (!Files.isSymbolicLink(layout.current())) {
        throw e;
      }
      LOG.warn("Replacing {}: {}", layout.current(), e.getMessage());
      return Optional.empty();
    }
  }

  /** The version named by a link target of the form {@code releases/<version>}. */
  private Optional<Version> releaseVersion(Path target) {
    Path resolved = layout.home().resolve(target).normalize();
    if (!layout.releases().equals(resolved.getParent())) {
      return Optional.empty();
    }
    return canonicalVersion(resolved.getFileName().toString());
  }

  private static Optional<Version> canonicalVersion(String name) {
    try {
      Version v = Version.parse(name);
      return v.toString().equals(name) ? Optional.of(v) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static InvalidLayoutException legacyLayout(Path current) {
    return new InvalidLayoutException(current + " is a real directory, not a symbolic link (a"
        + " layout from before symlink activation). Migrate it once by hand: stop the"
        + " application, move the directory to releases/<its version> (mkdir -p releases && mv "
        + "current releases/<version>), then run again; the updater will create the link.");
  }

  /**
   * Keeps {@code keep} releases: the live one, the one it replaced, and the newest others; deletes
   * the rest and any temporary links a killed switch left behind.
   */
  private void prune(Version live, Optional<Version> previous) throws IOException {
    List<Path> candidates = new ArrayList<>();
    Set<String> kept = new HashSet<>();
    kept.add(live.toString());
    previous.ifPresent(p -> kept.add(p.toString()));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.releases())) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (!kept.contains(name) && Files.isDirectory(dir, NOFOLLOW)
            && canonicalVersion(name).isPresent()) {
          candidates.add(dir);
        }
      }
    }
    candidates.sort(Comparator.comparing(
        (Path d) -> canonicalVersion(d.getFileName().toString()).orElseThrow()).reversed()
        .thenComparing(d -> d.getFileName().toString(), Comparator.reverseOrder()));
    int room = Math.max(0, keep - kept.size());
    for (Path dir : candidates.subList(Math.min(room, candidates.size()), candidates.size())) {
      LOG.info("Pruning release {} (keeping {} releases)", dir.getFileName(), keep);
      FileTrees.deleteRecursively(dir);
    }
    try (DirectoryStream<Path> leftovers =
        Files.newDirectoryStream(layout.home(), TMP_PREFIX + "*")) {
      for (Path link : leftovers) {
        if (Files.isSymbolicLink(link)) {
          LOG.info("Deleting {} left by an interrupted switch", link);
          Files.delete(link);
        }
      }
    }
  }

  /** Configures a {@link SymlinkActivator}. Not thread-safe. */
  public static final class Builder {
    private final Layout layout;
    private List<String> shared = List.of();
    private int keep = DEFAULT_KEEP;

    private Builder(Layout layout) {
      this.layout = Objects.requireNonNull(layout, "layout");
    }

    /**
     * Paths relative to a release (such as {@code data} or {@code config/app.yml}) that live in
     * {@code shared/} and are linked into every release. Each must be relative, use {@code /} as
     * separator and hold no {@code ..}; paths may not repeat or overlap ({@code data} and
     * {@code data/x}). Replaces the paths of an earlier call.
     *
     * @throws IllegalArgumentException naming the offending path
     */
    public Builder shared(String... paths) {
      this.shared = SharedPaths.normalise(paths);
      return this;
    }

    /**
     * How many releases to keep on disk, at least 2: the live one and the one it replaced are always
     * kept (even when they are the oldest), the remaining places go to the newest others.
     */
    public Builder keep(int keep) {
      this.keep = ReleaseDirectories.checkKeep(keep);
      return this;
    }

    /** Builds the activator. */
    public SymlinkActivator build() {
      return new SymlinkActivator(this);
    }
  }
}
