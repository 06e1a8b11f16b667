package dev.updater.cli;

import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery commands: {@code install --repair}, {@code rollback --home} and {@code
 * clear-error --home}, each against a real home.
 */
class RepairAndRecoveryTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path home;
  Path pub;

  @BeforeEach
  void publishTwoReleases() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    pub = cli.publishSigned(tmp, repo, "1.0.0", "1.1.0");
  }

  Result install(Object... extra) {
    Object[] base = {"install", "--home", home, "--source", repo, "--trust", pub,
        "--shared", "data"};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli.run(all);
  }

  @Test
  void shouldRepairTheLiveReleaseWithoutASource() throws IOException {
    assertThat(install("--version", "1.0.0").code()).isZero();
    Files.writeString(home.resolve("shared/data/rows.txt"), "row 1\n");
    Path link = home.resolve("releases/1.0.0/data");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    Files.delete(link);

    Result r = cli.run("install", "--repair", "--home", home, "--shared", "data");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).isEqualTo("repaired 1.0.0\n");
    assertThat(r.err()).contains("[extracting] stage 1.0.0");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(home.resolve("current/data/rows.txt")).hasContent("row 1");
    assertThat(live(home)).isEqualTo("1.0.0");
    assertThat(cli.run("history", "--home", home).out()).contains("repair");
  }

  @Test
  void shouldReportARepairAsJson() throws IOException {
    assertThat(install("--version", "1.0.0").code()).isZero();

    Result r = cli.run("install", "--repair", "--home", home, "--shared", "data", "--json");

    assertThat(r.code()).as("%s", r).isZero();
    JsonNode j = JsonOutputTest.json(r);
    assertThat(j.get("result").asText()).isEqualTo("repaired");
    assertThat(j.get("installed").asText()).isEqualTo("1.0.0");
    assertThat(j.get("phase").asText()).isEqualTo("complete");
  }

  @Test
  void shouldRefuseARepairWithNothingInstalled() throws IOException {
    Files.createDirectories(home);

    Result r = cli.run("install", "--repair", "--home", home);

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).contains("INVALID_STATE", "nothing to repair");
    assertThat(cli.run("install", "--repair", "--home", home, "--version", "1.0.0").code())
        .isEqualTo(Exit.USAGE);
  }

  @Test
  void shouldClearAFailedStatusAndKeepTheFailureInTheHistory() throws IOException {
    assertThat(install("--version", "1.0.0").code()).isZero();
    Path published = repo.resolve("releases/1.1.0/app-1.1.0.zip");
    byte[] bytes = Files.readAllBytes(published);
    bytes[bytes.length / 2] ^= 1;
    Files.write(published, bytes);
    deleteRecursively(repo.resolve("objects")); // no delta: the install falls back to the archive
    Result failed = install();
    assertThat(failed.code()).as("%s", failed).isEqualTo(Exit.VERIFICATION);

    Result status = cli.run("status", "--home", home);
    assertThat(status.out()).contains("state:     failed", "VERIFICATION_FAILED",
        "1.0.0 is live (the failed operation switched nothing)",
        "updater clear-error --home " + home);
    assertThat(status.out()).as("nothing was switched, so there is nothing to roll back")
        .doesNotContain("updater rollback");

    Result cleared = cli.run("clear-error", "--home", home);

    assertThat(cleared.code()).as("%s", cleared).isZero();
    JsonNode after = JsonOutputTest.json(cli.run("status", "--home", home, "--json"));
    assertThat(after.get("error").isNull()).isTrue();
    assertThat(after.get("state").asText()).isNotEqualTo("failed");
    assertThat(after.get("installed").asText()).isEqualTo("1.0.0");
    assertThat(cli.run("history", "--home", home).out()).contains("1.0.0 -> 1.1.0", "failed",
        "VERIFICATION_FAILED");
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void shouldRollBackToThePreviousReleaseByHome() throws IOException {
    assertThat(install("--version", "1.0.0").code()).isZero();
    assertThat(install().code()).isZero();

    Result r = cli.run("rollback", "--home", home);

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("rolled back from 1.1.0 to 1.0.0");
    assertThat(live(home)).isEqualTo("1.0.0");
    JsonNode status = JsonOutputTest.json(cli.run("status", "--home", home, "--json"));
    assertThat(status.get("installed").asText()).isEqualTo("1.0.0");
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
