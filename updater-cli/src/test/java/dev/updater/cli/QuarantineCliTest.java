package dev.updater.cli;

import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quarantine on the command line: {@code rollback} quarantines the release rolled back from,
 * {@code status} and {@code check} list it (also in {@code --json}) and do not offer it, {@code
 * unquarantine} and {@code install --version} lift it; each against a real home and repository.
 */
class QuarantineCliTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path home;
  Path pub;

  @BeforeEach
  void installOneOneAndRollItBack() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    pub = cli.publishSigned(tmp, repo, "1.0.0", "1.1.0");
    assertThat(sourced("install", "--version", "1.0.0").code()).isZero();
    assertThat(sourced("install").code()).isZero();

    Result rollback = cli.run("rollback", "--home", home);

    assertThat(rollback.code()).as("%s", rollback).isZero();
    assertThat(rollback.out()).contains("rolled back from 1.1.0 to 1.0.0",
        "1.1.0 is quarantined");
  }

  /** {@code command} with the home, source and key, then {@code extra}. */
  Result sourced(String command, Object... extra) {
    Object[] base = {command, "--home", home, "--source", repo, "--trust", pub};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli.run(all);
  }

  @Test
  void statusAndCheckListTheQuarantinedReleaseAndDoNotOfferIt() throws IOException {
    Result status = cli.run("status", "--home", home);
    Result check = sourced("check");
    Result install = sourced("install");

    assertThat(status.out()).contains("quarantined: 1.1.0 (rolled back ",
        "rolled back by request", "updater unquarantine --home " + home + " --version V");
    assertThat(check.out()).contains("installed: 1.0.0", "quarantined: 1.1.0", "up to date");
    assertThat(check.out()).doesNotContain("available:");
    assertThat(install.code()).as("%s", install).isZero();
    assertThat(install.out()).contains("up to date", "quarantined: 1.1.0");
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void jsonListsTheQuarantinedRelease() throws IOException {
    JsonNode status = JsonOutputTest.json(cli.run("status", "--home", home, "--json"));
    JsonNode check = JsonOutputTest.json(sourced("check", "--json"));

    assertThat(status.get("quarantined")).singleElement().satisfies(q -> {
      assertThat(q.get("version").asText()).isEqualTo("1.1.0");
      assertThat(q.get("reason").asText()).isEqualTo("rolled back by request");
      assertThat(q.get("at").asText()).isEqualTo(CliHarness.NOW.toString());
    });
    assertThat(check.get("updateAvailable").asBoolean()).isFalse();
    assertThat(check.get("quarantined")).singleElement()
        .satisfies(q -> assertThat(q.get("version").asText()).isEqualTo("1.1.0"));
  }

  @Test
  void unquarantineOffersItAgainWithoutInstalling() throws IOException {
    Result lift = cli.run("unquarantine", "--home", home, "--version", "1.1.0");

    assertThat(lift.code()).as("%s", lift).isZero();
    assertThat(lift.out()).contains("lifted the quarantine of 1.1.0");
    assertThat(live(home)).isEqualTo("1.0.0");
    assertThat(sourced("check").out()).contains("available: 1.1.0").doesNotContain("quarantined");
    assertThat(cli.run("unquarantine", "--home", home, "--version", "1.1.0").out())
        .contains("1.1.0 is not quarantined; nothing changed");
  }

  @Test
  void installingTheQuarantinedReleaseByVersionLiftsIt() throws IOException {
    Result install = sourced("install", "--version", "1.1.0");

    assertThat(install.code()).as("%s", install).isZero();
    assertThat(live(home)).isEqualTo("1.1.0");
    assertThat(JsonOutputTest.json(cli.run("status", "--home", home, "--json"))
        .get("quarantined")).isEmpty();
  }

  @Test
  void unquarantineNeedsAVersion() {
    Result r = cli.run("unquarantine", "--home", home);

    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("--version V is required");
  }
}
