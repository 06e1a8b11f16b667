package dev.updater.cli;

import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updater.cli.CliHarness.Result;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.HealthCheck;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code updater status} tells a user after an embedded updater rolled an install back on
 * its own, and after the release put back failed too: what failed, what is live, and only advice
 * that is true of that state; {@code rollback --version} ends the operator state.
 */
class StatusAdviceTest {
  private static final Version V110 = Version.parse("1.1.0");

  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path home;
  Path pub;

  @BeforeEach
  void install100() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    pub = cli.publishSigned(tmp, repo, "1.0.0", "1.1.0");
    Result first = cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--version", "1.0.0");
    assertThat(first.code()).as("%s", first).isZero();
  }

  /** Installs 1.1.0 through the library with {@code healthCheck} and no restarter. */
  void embeddedInstallFails(HealthCheck healthCheck) throws IOException {
    Updater updater = Updater.builder().home(home)
        .source(DirectoryReleaseSource.of(repo, TrustedKeys.read(pub)))
        .clock(Clock.fixed(CliHarness.NOW, ZoneOffset.UTC)).healthCheck(healthCheck).build();
    Release r110 = updater.find(V110).orElseThrow();
    assertThatThrownBy(() -> updater.install(r110)).isInstanceOf(UpdateException.class)
        .hasMessageContaining("GET /api/health answered 500");
  }

  @Test
  void afterAnAutomaticRollbackStatusShowsWhatFailedAndThatTheInstallIsAlreadyBack()
      throws IOException {
    embeddedInstallFails(ctx -> {
      if (ctx.to().equals(V110)) {
        throw new IOException("GET /api/health answered 500");
      }
    });

    Result status = cli.run("status", "--home", home);

    assertThat(status.code()).as("%s", status).isZero();
    assertThat(status.out()).contains("installed: 1.0.0", "state:     failed",
        "GET /api/health answered 500", "failed:    install 1.0.0 -> 1.1.0 (rolled back)",
        "already back: 1.0.0 is live, so there is nothing to roll back",
        "updater clear-error --home " + home);
    assertThat(status.out()).doesNotContain("updater rollback", "target:", "is restarted");
    JsonNode json = JsonOutputTest.json(cli.run("status", "--home", home, "--json"));
    assertThat(json.get("target").asText()).isEqualTo("1.1.0");
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void afterAnAutomaticRollbackCheckAndInstallNameTheQuarantinedReleaseAndHowToLiftIt()
      throws IOException {
    embeddedInstallFails(ctx -> {
      if (ctx.to().equals(V110)) {
        throw new IOException("GET /api/health answered 500");
      }
    });

    Result check = cli.run("check", "--home", home, "--source", repo, "--trust", pub);
    Result install = cli.run("install", "--home", home, "--source", repo, "--trust", pub);

    for (Result r : new Result[] {check, install}) {
      assertThat(r.code()).as("%s", r).isZero();
      assertThat(r.out()).contains("up to date", "(passed over quarantined 1.1.0: see below)",
          "quarantined: 1.1.0 (rolled back ", "GET /api/health answered 500",
          "'updater unquarantine --home " + home + " --version V' offers it again");
    }
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void whenThePreviousReleaseFailsTooStatusSaysAnOperatorIsNeededAndWhatToRun()
      throws IOException {
    embeddedInstallFails(ctx -> {
      throw new IOException("GET /api/health answered 500 for " + ctx.to());
    });

    Result status = cli.run("status", "--home", home);

    assertThat(status.out()).contains("state:     needs_operator (phase error)",
        "the health check of 1.0.0 failed", "No release is known to work",
        "updater install --repair --home " + home,
        "updater rollback --home " + home + " --version V");
    assertThat(JsonOutputTest.json(cli.run("status", "--home", home, "--json"))
        .get("state").asText()).isEqualToIgnoringCase("needs_operator");

    assertThat(cli.run("doctor", "--home", home).out())
        .contains("FAIL layout: no release is known to work (needs an operator)",
            "updater install --repair --home " + home);

    Result rollback = cli.run("rollback", "--home", home, "--version", "1.1.0");

    assertThat(rollback.code()).as("%s", rollback).isZero();
    assertThat(rollback.out()).contains("rolled back from 1.0.0 to 1.1.0");
    assertThat(live(home)).isEqualTo("1.1.0");
    assertThat(cli.run("status", "--home", home).out()).contains("state:     complete")
        .doesNotContain("error:");
  }

  @Test
  void aRollbackToAVersionThatIsNotKeptIsRefusedAndNamesTheKeptOnes() throws IOException {
    Result r = cli.run("rollback", "--home", home, "--version", "0.9.0");

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).contains("0.9.0 is no longer on disk", "kept: 1.0.0");
    assertThat(live(home)).isEqualTo("1.0.0");
  }
}
