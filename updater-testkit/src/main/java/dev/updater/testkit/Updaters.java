package dev.updater.testkit;

import dev.updater.core.Layout;
import dev.updater.core.Updater;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.spi.ReleaseSource;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@link Updater} builders preset for tests: a home, a source and no free-space requirement, since
 * a test's file system (a temporary directory, a small disk on a build machine, Jimfs) says
 * nothing about the space a real install has. The result is an ordinary {@link Updater.Builder}:
 * set anything else on it before {@code build()}.
 *
 * <pre>{@code
 * Updater updater = Updaters.builder(home, InMemoryReleaseSource.create())
 *     .restarter(RecordingRestarter.create())
 *     .build();
 * Updater withData = Updaters.sharing(home, source, "data").build();  // data/ survives updates
 * }</pre>
 *
 * <p>Thread-safe: every call returns a new builder.
 */
public final class Updaters {
  private Updaters() {}

  /**
   * A builder with {@code home}, {@code source} and {@code freeSpace(0, 0)}; every other setting
   * keeps its default.
   */
  public static Updater.Builder builder(Path home, ReleaseSource source) {
    return Updater.builder()
        .home(Objects.requireNonNull(home, "home"))
        .source(Objects.requireNonNull(source, "source"))
        .freeSpace(0, 0);
  }

  /**
   * {@link #builder} with a {@link SymlinkActivator} that links the {@code shared} paths of
   * {@code <home>/shared/} (such as {@code "data"}) into every release.
   */
  public static Updater.Builder sharing(Path home, ReleaseSource source, String... shared) {
    Objects.requireNonNull(home, "home");
    return builder(home, source)
        .activator(SymlinkActivator.builder(Layout.of(home)).shared(shared).build());
  }
}
