package dev.updater.core.confirm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.TestRepository;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.activate.PointerActivator;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.crash.ChildExit;
import dev.updater.testkit.crash.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher (and the detached watcher, which applies the same rule) on a home installed with
 * the pointer activator: it starts the release the pointer names and rolls back by rewriting the
 * pointer, never by creating a {@code current} link the application does not read.
 */
class LauncherLayoutsTest {
  private static final Version V1 = Version.parse("1.0.0");
  private static final Version V2 = Version.parse("1.1.0");

  @TempDir Path tmp;

  @Test
  void startsTheReleaseThePointerNames() throws Exception {
    Path home = tmp.resolve("home");
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(V1);
    host(home, repo).install(first);

    int code = launch(home, Clock.systemUTC());

    assertThat(code).isZero();
    assertThat(started()).isEqualTo(Layout.of(home).release(V1).toString());
  }

  @Test
  void rollsBackAPointerHomeByRewritingThePointer() throws Exception {
    Path home = tmp.resolve("home");
    Layout layout = Layout.of(home);
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(V1);
    repo.publish(V2);
    Updater host = host(home, repo);
    host.install(first);
    // the host installs 1.1.0 and exits to be restarted, as a real host does
    ChildExit exit = ChildJvm.of(InstallAndExit.class, home.toString(), repo.root.toString())
        .run();
    assertThat(exit.status()).as(exit.output()).isEqualTo(75);
    assertThat(Files.readString(layout.home().resolve("current.txt")).strip()).isEqualTo("1.1.0");
    Clock afterDeadline = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);

    int code = launch(home, afterDeadline);

    assertThat(code).isZero();
    assertThat(Files.readString(layout.home().resolve("current.txt")).strip()).isEqualTo("1.0.0");
    assertThat(layout.current()).as("no link the application does not read")
        .doesNotExist();
    assertThat(Files.exists(layout.current(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(started()).isEqualTo(layout.release(V1).toString());
    assertThat(host.status().installed()).contains(V1);
    assertThat(host.history().get(host.history().size() - 1).outcome())
        .isEqualTo(Outcome.ROLLED_BACK);
  }

  /** The host's "update now": installs the newest release, then exits with the restart code. */
  public static final class InstallAndExit {
    public static void main(String[] args) {
      Updater updater = host(Path.of(args[0]), DirectoryReleaseSource.of(Path.of(args[1])))
          .restarter(ctx -> Runtime.getRuntime().halt(75))
          .build();
      updater.check().ifPresent(updater::install);
    }
  }

  private static Updater host(Path home, TestRepository repo) {
    return host(home, repo.source()).restarter(ctx -> { }).build();
  }

  private static Updater.Builder host(Path home, ReleaseSource source) {
    return Updater.builder().home(home).source(source)
        .activator(PointerActivator.create(Layout.of(home)))
        .confirmationTimeout(Duration.ofMinutes(10))
        .freeSpace(0, 3);
  }

  private int launch(Path home, Clock clock) throws Exception {
    return Launcher.builder(home)
        .command(List.of("sh", "-c", "pwd > " + tmp.resolve("started")))
        .clock(clock)
        .build()
        .run();
  }

  private String started() throws Exception {
    return Files.readString(tmp.resolve("started"), StandardCharsets.UTF_8).strip();
  }
}
