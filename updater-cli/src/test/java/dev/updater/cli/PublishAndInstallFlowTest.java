package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
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
 * The operator's path end to end, in-process on the real disk: keygen, publish 1.0.0 and 1.1.0
 * signed, install 1.0.0 then 1.1.0 into a home, status, rollback, history.
 */
class PublishAndInstallFlowTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path keys;
  Path repo;
  Path home;

  @BeforeEach
  void keygenAndPublishTwoReleases() throws IOException {
    keys = tmp.resolve("keys");
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    assertThat(cli.run("keygen", "--out", keys).code()).isZero();
    Result first = cli.run("publish", "--repo", repo, "--version", "1.0.0",
        "--key", keys.resolve("updater.key"), "--notes", "First release",
        "--artifact", artifact(tmp.resolve("build"), "app-1.0.0.zip", "1.0.0"));
    assertThat(first.code()).as("%s", first).isZero();
    Result second = cli.run("publish", "--repo", repo, "--version", "1.1.0",
        "--key", keys.resolve("updater.key"),
        "--artifact", artifact(tmp.resolve("build"), "app-1.1.0.zip", "1.1.0"));
    assertThat(second.code()).as("%s", second).isZero();
  }

  Result install(Object... extra) {
    Object[] base = {"install", "--home", home, "--source", repo,
        "--trust", keys.resolve("updater.pub"), "--shared", "data,logs"};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli.run(all);
  }

  @Test
  void publishWritesTheArtifactsTheIndexAndItsSignature() throws IOException {
    assertThat(repo.resolve("releases/1.0.0/app-1.0.0.zip")).isRegularFile();
    assertThat(repo.resolve("releases/1.1.0/app-1.1.0.zip")).isRegularFile();
    String index = Files.readString(repo.resolve("channels/stable.json"));
    assertThat(index).contains("\"serial\": 2", "\"version\": \"1.0.0\"",
        "\"version\": \"1.1.0\"", "\"notes\": \"First release\"",
        "\"expires\": \"2026-03-31T12:00:00Z\"");
    assertThat(Files.readString(repo.resolve("channels/stable.json.minisig")))
        .contains("trusted comment: channel stable serial 2");
  }

  @Test
  void checkShowsTheNewestReleaseOnAnEmptyHomeAndChangesNothing() {
    Result r = cli.run("check", "--home", home, "--source", repo,
        "--trust", keys.resolve("updater.pub"));
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("installed: (none)", "available: 1.1.0 on channel stable");
    assertThat(home.resolve("current")).doesNotExist();
  }

  @Test
  void installsUpdatesShowsStatusAndRollsBack() throws IOException {
    Result first = install("--version", "1.0.0");
    assertThat(first.code()).as("%s", first).isZero();
    assertThat(first.out()).isEqualTo("installed 1.0.0 (first install)\n");
    assertThat(first.err()).contains("[downloading] download 1.0.0",
        "[extracting] activate 1.0.0", "[complete] 1.0.0");
    assertThat(live(home)).isEqualTo("1.0.0");
    Files.writeString(home.resolve("shared/data/rows.txt"), "row 1\n");

    Result update = install();
    assertThat(update.code()).as("%s", update).isZero();
    assertThat(update.out()).contains("installed 1.1.0 (was 1.0.0)");
    assertThat(live(home)).isEqualTo("1.1.0");
    assertThat(home.resolve("current/data/rows.txt")).hasContent("row 1");

    Result status = cli.run("status", "--home", home);
    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("installed: 1.1.0", "previous:  1.0.0", "state:     complete");

    Result rollback = cli.run("rollback", "--home", home);
    assertThat(rollback.code()).as("%s", rollback).isZero();
    assertThat(rollback.out()).contains("rolled back from 1.1.0 to 1.0.0");
    assertThat(live(home)).isEqualTo("1.0.0");
    assertThat(cli.run("status", "--home", home).out()).contains("installed: 1.0.0");

    Result history = cli.run("history", "--home", home);
    assertThat(history.code()).isZero();
    assertThat(history.out().lines())
        .hasSize(3)
        .anySatisfy(l -> assertThat(l).contains("install", "(none) -> 1.0.0", "succeeded"))
        .anySatisfy(l -> assertThat(l).contains("install", "1.0.0 -> 1.1.0", "succeeded"))
        .anySatisfy(l -> assertThat(l).contains("rollback", "1.1.0 -> 1.0.0", "succeeded"));
  }

  @Test
  void installWhenUpToDateSaysSoAndExitsZero() {
    assertThat(install().code()).isZero();
    Result again = install();
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("up to date: installed 1.1.0");
    Result check = cli.run("check", "--home", home, "--source", repo,
        "--trust", keys.resolve("updater.pub"));
    assertThat(check.out()).contains("installed: 1.1.0", "up to date on channel stable");
  }

  @Test
  void anOlderVersionNeedsDowngrade() throws IOException {
    assertThat(install().code()).isZero();
    Result refused = install("--version", "1.0.0");
    assertThat(refused.code()).as("%s", refused).isEqualTo(Exit.REFUSED);
    assertThat(refused.err()).contains("DOWNGRADE_REFUSED", "--downgrade");
    assertThat(live(home)).isEqualTo("1.1.0");

    Result downgraded = install("--version", "1.0.0", "--downgrade");
    assertThat(downgraded.code()).as("%s", downgraded).isZero();
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void aVersionThatIsNotPublishedIsUnavailable() {
    Result r = install("--version", "9.9.9");
    assertThat(r.code()).isEqualTo(Exit.UNAVAILABLE);
    assertThat(r.err()).contains("version 9.9.9 is not published on channel stable",
        "updater check");
  }

  @Test
  void rollbackWithoutAPreviousReleaseIsRefused() {
    assertThat(install("--version", "1.0.0").code()).isZero();
    Result r = cli.run("rollback", "--home", home);
    assertThat(r.code()).as("%s", r).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).contains("INVALID_STATE");
  }

  @Test
  void anInstallWhileAnotherHoldsTheLockIsRefused() throws IOException {
    assertThat(install("--version", "1.0.0").code()).isZero();
    dev.updater.core.activate.FileLockStore.create(home.resolve(".updater/lock.json"))
        .tryAcquire("another-host:1", java.time.Duration.ofHours(1)).orElseThrow();
    Result r = install();
    assertThat(r.code()).as("%s", r).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).contains("LOCKED", "wait for it to end");
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void theHomeCommandsNeedAnExistingHome() {
    for (String command : new String[] {"status", "rollback", "clear-error", "history"}) {
      Result r = cli.run(command, "--home", tmp.resolve("nowhere"));
      assertThat(r.code()).as("%s: %s", command, r).isEqualTo(Exit.FAILED);
      assertThat(r.err()).contains("is not a directory", "updater install --home");
    }
  }

  @Test
  void clearErrorSucceedsOnAHealthyHome() {
    assertThat(install().code()).isZero();
    Result r = cli.run("clear-error", "--home", home);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("cleared the failed status");
  }
}
