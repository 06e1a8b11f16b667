package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} on check, install and status: the standard output is exactly one JSON object,
 * on success and on failure, and the human lines go to the error stream.
 */
class JsonOutputTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path home;
  Path pub;

  @BeforeEach
  void publishTwoReleases() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    pub = tmp.resolve("keys/updater.pub");
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    for (String v : new String[] {"1.0.0", "1.1.0"}) {
      assertThat(cli.run("publish", "--repo", repo, "--version", v, "--notes", "release " + v,
          "--key", tmp.resolve("keys/updater.key"),
          artifact(tmp.resolve("build"), "app-" + v + ".zip", v)).code()).isZero();
    }
  }

  /** The one JSON object of the output; fails when there is anything else. */
  static JsonNode json(Result r) throws IOException {
    String text = r.out().strip();
    assertThat(text).as("%s", r).startsWith("{").endsWith("}").doesNotContain("\n");
    return MAPPER.readTree(text);
  }

  @Test
  void shouldReportAnAvailableUpdateOnCheck() throws IOException {
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--version", "1.0.0").code()).isZero();

    Result r = cli.run("check", "--home", home, "--source", repo, "--trust", pub, "--json");

    assertThat(r.code()).as("%s", r).isZero();
    JsonNode j = json(r);
    assertThat(j.get("command").asText()).isEqualTo("check");
    assertThat(j.get("ok").asBoolean()).isTrue();
    assertThat(j.get("exitCode").asInt()).isZero();
    assertThat(j.get("running").isNull()).isTrue();
    assertThat(j.get("installed").asText()).isEqualTo("1.0.0");
    assertThat(j.get("latest").asText()).isEqualTo("1.1.0");
    assertThat(j.get("updateAvailable").asBoolean()).isTrue();
    assertThat(j.get("phase").asText()).isEqualTo("complete");
    assertThat(j.get("notes").asText()).isEqualTo("release 1.1.0");
    assertThat(j.get("error").isNull()).isTrue();
    assertThat(r.err()).contains("available: 1.1.0");
  }

  @Test
  void shouldReportUpToDateOnCheckAndInstall() throws IOException {
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust", pub).code())
        .isZero();

    JsonNode check = json(cli.run("check", "--home", home, "--source", repo, "--trust", pub,
        "--json", "--force"));
    assertThat(check.get("latest").asText()).isEqualTo("1.1.0");
    assertThat(check.get("updateAvailable").asBoolean()).isFalse();

    JsonNode install = json(cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--json"));
    assertThat(install.get("result").asText()).isEqualTo("up-to-date");
    assertThat(install.get("installed").asText()).isEqualTo("1.1.0");
    assertThat(install.get("updateAvailable").asBoolean()).isFalse();
  }

  @Test
  void shouldReportTheInstalledVersionAfterInstall() throws IOException {
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--version", "1.0.0").code()).isZero();

    Result r = cli.run("install", "--home", home, "--source", repo, "--trust", pub, "--json");

    assertThat(r.code()).as("%s", r).isZero();
    JsonNode j = json(r);
    assertThat(j.get("result").asText()).isEqualTo("installed");
    assertThat(j.get("from").asText()).isEqualTo("1.0.0");
    assertThat(j.get("to").asText()).isEqualTo("1.1.0");
    assertThat(j.get("installed").asText()).isEqualTo("1.1.0");
    assertThat(j.get("previous").asText()).isEqualTo("1.0.0");
    assertThat(j.get("latest").asText()).isEqualTo("1.1.0");
    assertThat(j.get("phase").asText()).isEqualTo("complete");
    assertThat(j.get("error").isNull()).isTrue();
    assertThat(r.err()).contains("[downloading] download 1.1.0", "installed 1.1.0");
    assertThat(live(home)).isEqualTo("1.1.0");
  }

  @Test
  void shouldReportAVerificationFailureWithItsReasonAndExitCode() throws IOException {
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--version", "1.0.0").code()).isZero();
    Path index = repo.resolve("channels/stable.json");
    Files.writeString(index, Files.readString(index).replace("release 1.1.0", "release 6.6.6"));

    Result r = cli.run("install", "--home", home, "--source", repo, "--trust", pub, "--json");

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.VERIFICATION);
    JsonNode j = json(r);
    assertThat(j.get("ok").asBoolean()).isFalse();
    assertThat(j.get("exitCode").asInt()).isEqualTo(Exit.VERIFICATION);
    assertThat(j.get("installed").asText()).isEqualTo("1.0.0");
    assertThat(j.get("error").get("reason").asText()).isEqualTo("VERIFICATION_FAILED");
    assertThat(j.get("error").get("message").asText()).contains("stable.json.minisig");
    assertThat(r.err()).contains("VERIFICATION_FAILED");
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void shouldReportAnUnreadableSourceOnCheck() throws IOException {
    Result r = cli.run("check", "--home", home, "--source", tmp.resolve("nowhere"), "--trust",
        pub, "--json");

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.UNAVAILABLE);
    JsonNode j = json(r);
    assertThat(j.get("error").get("reason").asText()).isEqualTo("SOURCE_UNAVAILABLE");
    assertThat(j.get("installed").isNull()).isTrue();
  }

  @Test
  void shouldReportAUsageErrorAsJson() throws IOException {
    Result r = cli.run("check", "--home", home, "--json", "--bogus");

    assertThat(r.code()).isEqualTo(Exit.USAGE);
    JsonNode j = json(r);
    assertThat(j.get("error").get("reason").asText()).isEqualTo("USAGE");
    assertThat(j.get("error").get("message").asText()).contains("--bogus");
  }

  @Test
  void shouldReportStatusAfterAnUpdate() throws IOException {
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--version", "1.0.0").code()).isZero();
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust", pub).code())
        .isZero();

    Result r = cli.run("status", "--home", home, "--json");

    assertThat(r.code()).as("%s", r).isZero();
    JsonNode j = json(r);
    assertThat(j.get("installed").asText()).isEqualTo("1.1.0");
    assertThat(j.get("previous").asText()).isEqualTo("1.0.0");
    assertThat(j.get("state").asText()).isEqualTo("complete");
    assertThat(j.get("phase").asText()).isEqualTo("complete");
    assertThat(j.get("canRollBack").asBoolean()).isTrue();
    assertThat(j.get("error").isNull()).isTrue();
    assertThat(j.get("updatedAt").asText()).isNotEmpty();
  }

  @Test
  void shouldReportAMissingHomeOnStatus() throws IOException {
    Result r = cli.run("status", "--home", tmp.resolve("none"), "--json");

    assertThat(r.code()).isEqualTo(Exit.FAILED);
    JsonNode j = json(r);
    assertThat(j.get("ok").asBoolean()).isFalse();
    assertThat(j.get("error").get("message").asText()).contains("is not a directory");
  }
}
