package dev.updater.core;

import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.testkit.Updaters;
import dev.updater.testkit.crash.FaultPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;

/**
 * A child process for the crash tests: builds the updater of {@link CrashHome} on the home and
 * repository given as {@code args[0]} and {@code args[1]}, then either installs the version in
 * {@code args[3]} ({@code install}) or recovers ({@code recover}); with a restarter (see
 * {@link #restarting}) it installs ({@code install-restarting}), confirms as the new process
 * running {@code args[3]} ({@code confirm}) or recovers after every deadline
 * ({@code late-recover}); {@code install-making-state-read-only} installs with a hook that makes
 * {@code .updater/} read-only before DOWNLOAD. A failed operation prints {@code FAILED <reason>}
 * and exits with status 1. The parent sets
 * {@code -Ddev.updater.faultpoint=<point>} so that the JVM halts with status 86 at that point, as
 * {@code kill -9} would.
 *
 * <p>Besides the library's own points, the migration runner here has one of its own,
 * {@value #MID_MIGRATION}: it halts after writing half of its change to {@code shared/data}.
 */
public final class UpdateChildMain {
  /** A fault point inside this test's migration runner. */
  static final String MID_MIGRATION = "mid-migration";
  /** A fault point inside the health check of the pipeline's own CONFIRM step. */
  static final String MID_HEALTH = "mid-health";
  /** A fault point inside the health check run by {@code confirm()} in the new process. */
  static final String CONFIRM_MID_HEALTH = "confirm-mid-health";
  /** The confirmation deadline of {@link #restarting}. */
  static final Duration CONFIRMATION = Duration.ofMinutes(10);
  /** How far past now the clock of {@code late-recover} is: past every deadline. */
  static final Duration LATE = Duration.ofMinutes(20);
  /** The log the migration runner appends to, relative to {@code shared/data}. */
  static final String MIGRATIONS_LOG = "migrations.log";

  private UpdateChildMain() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (UpdateException e) {
      System.out.println("FAILED " + e.reason() + ": " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    Updater updater = updater(Path.of(args[0]), Path.of(args[1]));
    switch (args[2]) {
      case "install" -> {
        Release release = updater.find(Version.parse(args[3])).orElseThrow();
        System.out.println("RESULT " + updater.install(release));
      }
      case "recover" -> System.out.println("RECOVERED " + updater.recover());
      case "install-restarting" -> {
        Updater restarting = restarting(Path.of(args[0]), Path.of(args[1])).build();
        Release release = restarting.find(Version.parse(args[3])).orElseThrow();
        System.out.println("RESULT " + restarting.install(release));
      }
      case "confirm" -> System.out.println("CONFIRMED " + restarting(Path.of(args[0]),
          Path.of(args[1])).runningVersion(Version.parse(args[3])).build().confirm().state());
      case "late-recover" -> System.out.println("RECOVERED " + restarting(Path.of(args[0]),
          Path.of(args[1])).clock(Clock.offset(Clock.systemUTC(), LATE)).build().recover());
      case "install-making-state-read-only" -> {
        Path state = Layout.of(Path.of(args[0])).state();
        Updater making = builder(Path.of(args[0]), Path.of(args[1]))
            .before(Step.DOWNLOAD, ctx -> Files.setPosixFilePermissions(state,
                PosixFilePermissions.fromString("r-xr-xr-x")))
            .build();
        System.out.println("RESULT " + making.install(making.find(Version.parse(args[3]))
            .orElseThrow()));
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[2]);
    }
  }

  /**
   * The updater both processes use: symlink activation sharing {@code data}, a migration runner
   * appending to {@code shared/data/migrations.log}, no restarter, no free-space minimum.
   */
  static Updater updater(Path home, Path repository) {
    return builder(home, repository).build();
  }

  /** The builder of {@link #updater}, for a test to add hooks to. */
  static Updater.Builder builder(Path home, Path repository) {
    Layout layout = Layout.of(home);
    return Updaters.sharing(home, DirectoryReleaseSource.of(repository), "data")
        .migrationRunner(ctx -> migrate(layout, ctx.to()));
  }

  /**
   * The builder of {@link #updater} with a restarter that returns (it prints {@code RESTARTED}),
   * so that the release awaits confirmation across the restart with a deadline of
   * {@link #CONFIRMATION}, and a health check that halts at {@value #MID_HEALTH} or
   * {@value #CONFIRM_MID_HEALTH} when asked to.
   */
  static Updater.Builder restarting(Path home, Path repository) {
    return builder(home, repository)
        .restarter(ctx -> System.out.println("RESTARTED " + ctx.to()))
        .confirmationTimeout(CONFIRMATION)
        .healthCheck(ctx -> {
          FaultPoint.hit(MID_HEALTH);
          FaultPoint.hit(CONFIRM_MID_HEALTH);
        });
  }

  private static void migrate(Layout layout, Version to) throws IOException {
    Path log = layout.shared().resolve("data").resolve(MIGRATIONS_LOG);
    append(log, "migrating to " + to);
    FaultPoint.hit(MID_MIGRATION);
    append(log, " done\n");
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }
}
