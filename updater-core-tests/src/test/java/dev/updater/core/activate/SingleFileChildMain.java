package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.stage.SingleFileStager;
import dev.updater.testkit.Updaters;
import java.nio.file.Path;

/**
 * A child process for the single-file crash tests: {@code <home> <repository> <target> install V}
 * installs V, {@code ... recover} recovers. The parent sets {@code -Ddev.updater.faultpoint} so
 * that the JVM halts there, as {@code kill -9} would.
 */
public final class SingleFileChildMain {
  private SingleFileChildMain() {}

  public static void main(String[] args) throws Exception {
    Updater updater = updater(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
    if (args[3].equals("install")) {
      System.out.println("RESULT " + updater.install(
          updater.find(Version.parse(args[4])).orElseThrow()));
    } else {
      System.out.println("RECOVERED " + updater.recover());
    }
  }

  /** The updater both processes use. */
  static Updater updater(Path home, Path repository, Path target) {
    return Updaters.builder(home, DirectoryReleaseSource.of(repository))
        .stager(SingleFileStager.builder().fileName("app").build())
        .activator(SingleFileActivator.builder(Layout.of(home), target).build())
        .build();
  }
}
