package dev.updater.cli;

import static dev.updater.cli.CliHarness.live;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.updater.cli.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shell commands of {@code docs/manual-update.md}, exactly as the page writes them, with
 * bash against a repository published by {@code updater publish} and served over HTTP: the manual
 * install reaches the new release with its shared data linked and the database backed up, the
 * updater then sees it as live, and the manual rollback puts the previous release and the rows
 * back. A tampered archive or index stops the runbook before anything changes.
 *
 * <p>Needs {@code minisign}, {@code jq}, {@code sqlite3}, {@code curl}, {@code tar} and
 * {@code sha256sum} on the PATH ({@code .ci/run} installs the Debian packages); skipped, saying
 * which is missing, only where one is not.
 */
class ManualRunbookTest {
  private static final Path PAGE =
      Path.of(System.getProperty("project.root", ".."), "docs/manual-update.md");
  private static final Pattern BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```$");

  @TempDir Path tmp;
  final CliHarness cli = new CliHarness(Clock.systemUTC());
  Path repo;
  Path home;
  Path pub;
  RepositoryServer server;

  @BeforeEach
  void publishTwoReleasesAndInstallTheFirst() throws Exception {
    for (String tool : List.of("minisign", "jq", "sqlite3", "curl", "tar", "sha256sum")) {
      assumeTrue(MinisignToolTest.onPath(tool).isPresent(), tool + " is not installed on this "
          + "machine; .ci/run installs it (apt-get install -y " + tool + ")");
    }
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    pub = tmp.resolve("keys/updater.pub");
    for (String v : List.of("1.0.0", "1.1.0")) {
      Result r = cli.run("publish", "--repo", repo, "--version", v,
          "--key", tmp.resolve("keys/updater.key"), tarGz(v));
      assertThat(r.code()).as("%s", r).isZero();
    }
    server = RepositoryServer.start(repo);
    Result first = cli.run("install", "--home", home, "--source", server.url(), "--trust", pub,
        "--shared", "data", "--version", "1.0.0");
    assertThat(first.code()).as("%s", first).isZero();
    sh("sqlite3 '" + db() + "' \"CREATE TABLE samples(id INTEGER PRIMARY KEY, name TEXT);"
        + " INSERT INTO samples(name) VALUES ('S-1'), ('S-2');\"");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theRunbookInstallsTheReleaseAndRollsItBackWithItsRows() throws Exception {
    Result install = runbook("install", "1.1.0");
    assertThat(install.code()).as("%s", install).isZero();
    assertThat(install.out()).contains("Signature and comment signature verified",
        "release.tar.gz: OK", "releases/1.1.0");
    assertThat(live(home)).isEqualTo("1.1.0");
    assertThat(Files.readSymbolicLink(home.resolve("releases/1.1.0/data")))
        .isEqualTo(Path.of("../../shared/data"));
    assertThat(home.resolve("current/data/app.db")).isRegularFile();

    Result status = cli.run("status", "--home", home);
    assertThat(status.out()).as("%s", status).contains("1.1.0");
    Result again = cli.run("install", "--home", home, "--source", server.url(), "--trust", pub,
        "--shared", "data");
    assertThat(again.code()).as("%s", again).isZero();
    assertThat(again.out()).contains("up to date");

    sh("sqlite3 '" + db() + "' 'DELETE FROM samples;'"); // a migration that lost the rows
    Result rollback = runbook("rollback", "1.1.0");
    assertThat(rollback.code()).as("%s", rollback).isZero();
    assertThat(live(home)).isEqualTo("1.0.0");
    assertThat(sh("sqlite3 '" + db() + "' 'SELECT name FROM samples ORDER BY id;'"))
        .isEqualTo("S-1\nS-2\n");
  }

  @Test
  void aTamperedArchiveStopsTheRunbookBeforeAnythingChanges() throws Exception {
    Path archive = repo.resolve("releases/1.1.0/app-1.1.0.tar.gz");
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 1;
    Files.write(archive, bytes);

    Result install = runbook("install", "1.1.0");
    assertThat(install.code()).isNotZero();
    assertThat(install.out() + install.err()).contains("FAILED");
    assertUnchanged();
  }

  @Test
  void aTamperedIndexStopsTheRunbookBeforeAnythingChanges() throws Exception {
    Path index = repo.resolve("channels/stable.json");
    Files.writeString(index, Files.readString(index).replace("\"1.1.0\"", "\"1.1.1\""));

    Result install = runbook("install", "1.1.1");
    assertThat(install.code()).isNotZero();
    assertThat(install.err()).contains("Signature verification failed");
    assertUnchanged();
  }

  @Test
  void aVersionTheChannelDoesNotListStopsTheRunbook() throws Exception {
    Result install = runbook("install", "9.9.9");
    assertThat(install.code()).isNotZero();
    assertUnchanged();
  }

  private void assertUnchanged() throws Exception {
    assertThat(live(home)).isEqualTo("1.0.0");
    try (var releases = Files.list(home.resolve("releases"))) {
      assertThat(releases.map(p -> p.getFileName().toString())).containsExactly("1.0.0");
    }
    assertThat(sh("sqlite3 '" + db() + "' 'SELECT count(*) FROM samples;'")).isEqualTo("2\n");
  }

  private Path db() {
    return home.resolve("shared/data/app.db");
  }

  /**
   * Runs one section of the page ({@code install}: every shell block before "Roll back by hand";
   * {@code rollback}: the blocks after it) with the test's settings instead of the page's example
   * ones. The install run saves the two names the rollback uses, as one shell session would keep
   * them.
   */
  private Result runbook(String section, String version) throws Exception {
    String page = Files.readString(PAGE, UTF_8);
    int split = page.indexOf("## Roll back by hand");
    assertThat(split).as("the page has its rollback section").isPositive();
    String part = section.equals("install") ? page.substring(0, split) : page.substring(split);
    Path state = tmp.resolve("runbook-state");
    StringBuilder script = new StringBuilder("set -euo pipefail\n")
        .append("REPO=").append(server.url().toString().replaceAll("/$", "")).append('\n')
        .append("CHANNEL=stable\nPUB='").append(pub).append("'\nAPP_HOME='").append(home)
        .append("'\nSHARED=data\nDB='").append(db()).append("'\nVERSION=").append(version)
        .append('\n');
    if (section.equals("rollback")) {
      script.append("source '").append(state).append("'\n");
    }
    List<String> blocks = blocks(part);
    assertThat(blocks).as("shell blocks of the %s section", section).isNotEmpty();
    blocks.forEach(script::append);
    if (section.equals("install")) {
      script.append("declare -p work previous > '").append(state).append("'\n");
    }
    return bash(script.toString());
  }

  /** The page's {@code ```sh} blocks, leaving out the one marked as the example settings. */
  private static List<String> blocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(markdown);
    while (m.find()) {
      String before = markdown.substring(Math.max(0, m.start() - 80), m.start());
      if (!before.contains("<!-- settings")) {
        blocks.add(m.group(1));
      }
    }
    return blocks;
  }

  private Path tarGz(String version) throws Exception {
    Path tree = tmp.resolve("build/" + version);
    Files.createDirectories(tree.resolve("bin"));
    Files.createDirectories(tree.resolve("data"));
    Files.writeString(tree.resolve("VERSION"), version + "\n");
    Files.writeString(tree.resolve("bin/app"), "#!/bin/sh\necho app " + version + "\n");
    Path archive = tmp.resolve("build/app-" + version + ".tar.gz");
    Result tar = bash("tar -czf '" + archive + "' -C '" + tree + "' VERSION bin");
    assertThat(tar.code()).as("%s", tar).isZero();
    return archive;
  }

  private String sh(String command) throws Exception {
    Result r = bash(command);
    assertThat(r.code()).as("%s", r).isZero();
    return r.out();
  }

  private Result bash(String script) throws Exception {
    Path err = Files.createTempFile(tmp, "stderr", ".txt");
    Process p = new ProcessBuilder("bash", "-c", script).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bash finished").isTrue();
    return new Result(p.exitValue(), out, Files.readString(err, UTF_8));
  }
}
