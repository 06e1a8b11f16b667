package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.testkit.Updaters;
import java.nio.file.Path;

/**
 * A child process for the pointer crash tests: {@code <home> <repository> install V} installs V,
 * {@code <home> <repository> recover} recovers. The parent sets {@code
 * -Ddev.updater.faultpoint} so that the JVM halts there, as {@code kill -9} would.
 */
public final class PointerChildMain {
  private PointerChildMain() {}

  public static void main(String[] args) throws Exception {
    Updater updater = updater(Path.of(args[0]), Path.of(args[1]));
    if (args[2].equals("install")) {
      System.out.println("RESULT " + updater.install(
          updater.find(Version.parse(args[3])).orElseThrow()));
    } else {
      System.out.println("RECOVERED " + updater.recover());
    }
  }

  static Updater updater(Path home, Path repository) {
    return Updaters.builder(home, DirectoryReleaseSource.of(repository))
        .activator(PointerActivator.create(Layout.of(home)))
        .build();
  }
}
