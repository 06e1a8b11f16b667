package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import dev.updater.core.internal.FaultPoints;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.spi.Activator;
import dev.updater.core.spi.InvalidLayoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Activator} for hosts without symbolic links (Windows without the privilege to create
 * them, some network and container file systems): the live release is named in a pointer file,
 * {@code <home>/current.txt} by default, holding its version on one line ({@code 1.1.0}). A
 * switch writes a fresh pointer file beside it, forces it to disk and renames it over the old one,
 * so a reader sees the old or the new version, never a partial file; then it forces the home.
 *
 * <p>The application, or the script that starts it, reads the pointer to find its release:
 *
 * <pre>{@code
 * exec "$HOME/releases/$(cat "$HOME/current.txt")/bin/myapp"      # a launcher script
 *
 * Updater.builder()
 *     .home(home)
 *     .activator(PointerActivator.create(Layout.of(home)))
 *     ...
 * }</pre>
 *
 * <p>There are no shared-path links either: the application finds its data, configuration and
 * logs in {@code <home>/shared/} itself. Releases older than the newest {@code keep} are deleted
 * after each switch; the live one and the one it replaced are always kept. Journal, crash
 * recovery, confirmation and rollback are the pipeline's, as with {@link SymlinkActivator}.
 *
 * <p>Immutable and thread-safe; the pipeline calls it under the update lock.
 */
public final class PointerActivator implements Activator {
  /** The pointer file's name unless {@link Builder#pointer} says otherwise. */
  public static final String DEFAULT_POINTER = "current.txt";
  /** Releases kept by default, the live and the previous one included. */
  public static final int DEFAULT_KEEP = 3;

  private static final Logger LOG = LoggerFactory.getLogger(PointerActivator.class);

  private final Layout layout;
  private final String pointerName;
  private final int keep;

  private PointerActivator(Builder b) {
    this.layout = b.layout;
    this.pointerName = b.pointer;
    this.keep = b.keep;
  }

  /** An activator on {@code layout} with the pointer {@value #DEFAULT_POINTER}. */
  public static PointerActivator create(Layout layout) {
    return builder(layout).build();
  }

  /** A builder for an activator on {@code layout}. */
  public static Builder builder(Layout layout) {
    return new Builder(layout);
  }

  /**
   * Whether the home of {@code layout} was installed with a pointer activator of the default name:
   * it has {@value #DEFAULT_POINTER} and no {@code current} link. Tools that act on a home without
   * its host's configuration (the launcher, the confirmation watcher, the command line) use it to
   * switch the way the host does. A pointer file of another name is not recognised.
   */
  public static boolean isPointerHome(Layout layout) {
    return Files.isRegularFile(layout.home().resolve(DEFAULT_POINTER))
        && !Files.exists(layout.current(), LinkOption.NOFOLLOW_LINKS);
  }

  /** The pointer file. */
  public Path pointer() {
    return layout.home().resolve(pointerName);
  }

  @Override
  public void preflight() throws IOException {
    active(); // refuses a pointer that names no release
    Path home = layout.home();
    if (!Files.isDirectory(home)) {
      return; // first install: nothing here yet that a switch could damage
    }
    Path a = home.resolve("." + pointerName + ".probe-" + UUID.randomUUID());
    Path b = home.resolve("." + pointerName + ".probe-" + UUID.randomUUID());
    try {
      Files.createFile(a);
      Files.createFile(b);
      AtomicFiles.moveAtomically(a, b);
    } catch (AtomicMoveNotSupportedException e) {
      throw new InvalidLayoutException("renames are not atomic in " + home
          + "; the pointer file cannot be switched safely there", e);
    } catch (FileSystemException e) {
      throw new InvalidLayoutException("cannot create and rename files in " + home + " (" + e
          + "); the pointer file is switched by rename", e);
    } finally {
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
    }
  }

  @Override
  public Optional<Version> active() throws IOException {
    String text;
    try {
      text = Files.readString(pointer(), StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Optional<Version> version = ReleaseDirectories.canonical(text);
    if (version.isEmpty()) {
      throw new InvalidLayoutException(pointer() + " holds '" + text + "', not the version of a "
          + "release; write the live release's version into it (such as 1.1.0, the name of its "
          + "directory in releases/) or delete it, then run again");
    }
    return version;
  }

  @Override
  public void activate(Version version) throws IOException {
    Objects.requireNonNull(version, "version");
    Path release = layout.release(version);
    if (!Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidLayoutException(
          "cannot activate " + version + ": " + release + " is not a directory");
    }
    Optional<Version> previous;
    try {
      previous = active();
    } catch (InvalidLayoutException e) {
      LOG.warn("Replacing {}: {}", pointer(), e.getMessage());
      previous = Optional.empty();
    }
    if (previous.isPresent() && previous.get().toString().equals(version.toString())) {
      LOG.debug("Release {} is already live", version);
      return;
    }
    FaultPoints.hit("pointer-before-rename");
    AtomicFiles.write(pointer(), (version + "\n").getBytes(StandardCharsets.UTF_8));
    LOG.info("Switched {} from {} to {}", pointer(),
        previous.map(Version::toString).orElse("nothing"), version);
    try {
      ReleaseDirectories.prune(layout, keep, version, previous);
    } catch (IOException e) {
      LOG.warn("Switched to {} but could not prune old releases: {}", version, e.toString());
    }
  }

  @Override
  public void deactivate() throws IOException {
    if (Files.deleteIfExists(pointer())) {
      AtomicFiles.syncDirectory(layout.home());
      LOG.info("Removed {}: no release is live", pointer());
    }
  }

  /** Configures a {@link PointerActivator}. Not thread-safe. */
  public static final class Builder {
    private final Layout layout;
    private String pointer = DEFAULT_POINTER;
    private int keep = DEFAULT_KEEP;

    private Builder(Layout layout) {
      this.layout = Objects.requireNonNull(layout, "layout");
    }

    /** The pointer file's name in the home, such as {@code current.txt} (the default). */
    public Builder pointer(String fileName) {
      Objects.requireNonNull(fileName, "fileName");
      if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\")
          || fileName.startsWith(".") || fileName.indexOf('\0') >= 0
          || fileName.equals("releases") || fileName.equals("shared")) {
        throw new IllegalArgumentException("pointer '" + fileName + "' must be a plain file name"
            + " in the home, not starting with '.', and not releases or shared");
      }
      this.pointer = fileName;
      return this;
    }

    /** How many releases to keep on disk, at least 2 (the live and the previous one). */
    public Builder keep(int keep) {
      this.keep = ReleaseDirectories.checkKeep(keep);
      return this;
    }

    /** Builds the activator. */
    public PointerActivator build() {
      return new PointerActivator(this);
    }
  }
}
