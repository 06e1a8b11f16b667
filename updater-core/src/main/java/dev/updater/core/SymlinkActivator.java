package dev.updater.core;

import dev.updater.core.spi.Activator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public void prepare(Path stagedTree, Version version) throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public Optional<Version> active() throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public void activate(Version version) throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public void deactivate() throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
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
     * {@code shared/} and are linked into every release. Each must be relative, without {@code ..}.
     */
    public Builder shared(String... paths) {
      throw new UnsupportedOperationException("not yet implemented");
    }

    /** How many releases to keep on disk, at least 2 (the live and the previous one). */
    public Builder keep(int keep) {
      if (keep < 2) {
        throw new IllegalArgumentException(
            "keep must be at least 2 (the live and the previous release), was " + keep);
      }
      this.keep = keep;
      return this;
    }

    /** Builds the activator. */
    public SymlinkActivator build() {
      return new SymlinkActivator(this);
    }
  }
}
