package dev.updater.core;

import dev.updater.core.confirm.Watcher;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.testkit.Updaters;
import dev.updater.testkit.crash.FaultPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;

/**
 * A child process for the crash tests of the default path ({@link SignedRepositoryFixture}): an
 * updater on the home, the signed repository and the public key given as {@code args[0..2]}, that
 * does what {@code args[3]} says the way a host would:
 * <ul>
 *   <li>{@code install}: {@code check()} and install what it offers;
 *   <li>{@code install-restarting}: the same with a restarter that returns, so that the release
 *       awaits confirmation from its new process; {@code install-watched} with a detached
 *       watcher as well;
 *   <li>{@code confirm V}: {@code confirm()} in a process running {@code V};
 *   <li>{@code rollback}, {@code repair}, {@code recover}: those calls.
 * </ul>
 * The migration runner appends to {@code shared/data/migrations.log} and has a fault point of its
 * own half-way, {@value #MID_MIGRATION}.
 */
public final class SignedChildMain {
  static final String MID_MIGRATION = "mid-migration";
  static final String MIGRATIONS_LOG = "migrations.log";
  /** The confirmation deadline of the restarting updater. */
  static final Duration CONFIRMATION = Duration.ofMinutes(10);

  private SignedChildMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path repo = Path.of(args[1]);
    Path key = Path.of(args[2]);
    Updater updater = switch (args[3]) {
      case "install-restarting" -> restarting(home, repo, key).build();
      case "install-watched" -> restarting(home, repo, key).watcher(Watcher.builder()
          .restartCommand("true").pollInterval(Duration.ofMillis(50)).build()).build();
      case "confirm" -> restarting(home, repo, key).runningVersion(Version.parse(args[4]))
          .build();
      default -> updater(home, repo, key);
    };
    switch (args[3]) {
      case "install", "install-restarting", "install-watched" -> System.out.println("RESULT "
          + updater.check().map(updater::install).map(Object::toString).orElse("up to date"));
      case "confirm" -> System.out.println("CONFIRMED " + updater.confirm().state());
      case "rollback" -> System.out.println("RESULT " + updater.rollback());
      case "repair" -> System.out.println("RESULT " + updater.repair());
      case "recover" -> System.out.println("RECOVERED " + updater.recover());
      default -> throw new IllegalArgumentException("unknown mode " + args[3]);
    }
  }

  /** The plain updater: symlink activation sharing {@code data}, the migration runner. */
  static Updater updater(Path home, Path repository, Path publicKey) {
    return builder(home, repository, publicKey).build();
  }

  static Updater.Builder builder(Path home, Path repository, Path publicKey) {
    TrustedKeys keys;
    try {
      keys = TrustedKeys.read(publicKey);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Layout layout = Layout.of(home);
    return Updaters.sharing(home, DirectoryReleaseSource.of(repository, keys), "data")
        .checkCacheTtl(Duration.ZERO)
        .migrationRunner(ctx -> migrate(layout, ctx.to()));
  }

  /** The updater with a restarter that returns and a health check that passes. */
  static Updater.Builder restarting(Path home, Path repository, Path publicKey) {
    return builder(home, repository, publicKey)
        .restarter(ctx -> System.out.println("RESTARTED " + ctx.to()))
        .confirmationTimeout(CONFIRMATION)
        .healthCheck(ctx -> { });
  }

  /** An updater of the restarting kind whose clock is past every confirmation deadline. */
  static Updater late(Path home, Path repository, Path publicKey) {
    return restarting(home, repository, publicKey)
        .clock(Clock.offset(Clock.systemUTC(), CONFIRMATION.multipliedBy(2))).build();
  }

  private static void migrate(Layout layout, Version to) throws IOException {
    Path log = layout.shared().resolve("data").resolve(MIGRATIONS_LOG);
    append(log, "migrating to " + to);
    FaultPoint.hit(MID_MIGRATION);
    append(log, " done\n");
  }

  private static void append(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }
}
