package dev.updater.cli;

import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code updater install --after-stage CMD} and the other hook options, with real shells: a
 * command builds the staged tree before it goes live, and a failing one refuses the install with
 * the live release as it was.
 */
class CommandHooksCliTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path home;
  Path pub;

  @BeforeEach
  void publishAndInstallTheFirstRelease() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    pub = cli.publishSigned(tmp, repo, "1.0.0", "1.1.0");
    Result first = install("--version", "1.0.0");
    assertThat(first.code()).as("%s", first).isZero();
  }

  Result install(Object... extra) {
    Object[] base = {"install", "--home", home, "--source", repo, "--trust", pub};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli.run(all);
  }

  @Test
  void shouldRunEachAfterStageCommandInTheStagedTreeInOrder() throws IOException {
    Result r = install("--after-stage", "echo built $UPDATER_TO > built.txt",
        "--after-stage", "cat built.txt >> steps.txt",
        "--after-activate", "echo \"$UPDATER_STEP $(cat VERSION)\" > "
            + tmp.resolve("activated.txt"));

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(live(home)).isEqualTo("1.1.0");
    assertThat(home.resolve("current/steps.txt")).hasContent("built 1.1.0");
    assertThat(tmp.resolve("activated.txt")).hasContent("activate 1.1.0");
  }

  @Test
  void shouldRefuseTheInstallWhenAnAfterStageCommandFails() throws IOException {
    Result r = install("--after-stage", "echo 'npm ERR! lock file out of date'; exit 1");

    assertThat(r.code()).as("%s", r).isNotZero();
    assertThat(r.err()).contains("HOOK_FAILED", "exited 1", "npm ERR! lock file out of date");
    assertThat(live(home)).isEqualTo("1.0.0");
    assertThat(Files.exists(home.resolve("releases/1.1.0"))).isFalse();
    assertThat(cli.run("history", "--home", home).out()).contains("lock file out of date");
  }

  @Test
  void shouldPutThePreviousReleaseBackWhenAnAfterActivateCommandFails() throws IOException {
    Result r = install("--after-activate", "exit 7");

    assertThat(r.code()).as("%s", r).isNotZero();
    assertThat(r.err()).contains("exited 7");
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void shouldRefuseABadTimeoutOrAnEmptyCommandWithNothingChanged() throws IOException {
    Result badTimeout = install("--after-stage", "true", "--hook-timeout", "soon");
    Result empty = install("--after-stage", " ");

    assertThat(badTimeout.code()).isEqualTo(Exit.USAGE);
    assertThat(badTimeout.err()).contains("--hook-timeout soon");
    assertThat(empty.code()).isEqualTo(Exit.USAGE);
    assertThat(empty.err()).contains("--after-stage needs a command");
    assertThat(live(home)).isEqualTo("1.0.0");
    assertThat(Files.exists(home.resolve("releases/1.1.0"))).isFalse();
  }
}
