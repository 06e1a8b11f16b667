package dev.updater.cli;

import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import dev.updater.testkit.crash.ChildJvm;
import dev.updater.testkit.crash.FaultPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code updater install} killed with the new release already live (a child JVM halted right
 * after the switch): the next {@code updater install} puts the old release back and then installs
 * the new one, instead of answering "up to date" on the release it just put back.
 */
class InstallAfterCrashTest {
  @TempDir Path tmp;
  /** The real clock: the child reads it too, and the index must not have expired for it. */
  final CliHarness cli = new CliHarness(Clock.systemUTC());

  @Test
  void theNextInstallReachesTheNewReleaseAfterAnInstallKilledAfterItsSwitch() throws Exception {
    Path repo = tmp.resolve("repo");
    Path home = tmp.resolve("home");
    Path pub = cli.publishSigned(tmp, repo, "1.0.0", "1.1.0");
    Result first = cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--version", "1.0.0");
    assertThat(first.code()).as("%s", first).isZero();
    String[] args = {"install", "--home", home.toString(), "--source", repo.toString(), "--trust",
        pub.toString()};
    ChildJvm.of(Main.class, args).haltAt(FaultPoint.AFTER_SWAP).run().requireHalted();
    assertThat(Files.readSymbolicLink(home.resolve("current"))).hasToString("releases/1.1.0");

    Result next = cli.run((Object[]) args);

    assertThat(next.code()).as("%s", next).isZero();
    assertThat(next.err()).as("the step lines").contains("[rolled back] 1.1.0 -> 1.0.0");
    assertThat(next.out()).contains("installed 1.1.0 (was 1.0.0)").doesNotContain("up to date");
    assertThat(live(home)).isEqualTo("1.1.0");
    assertThat(cli.run("status", "--home", home).out()).doesNotContain("quarantined");
  }
}
