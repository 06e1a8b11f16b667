package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static dev.updater.cli.JsonOutputTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updater.cli.CliHarness.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} on the commands that report besides check, install and status: keygen, publish,
 * history and doctor each print exactly one JSON object on standard output.
 */
class JsonEverywhereTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();

  @Test
  void keygenPublishHistoryAndDoctorEachPrintOneJsonObject() throws Exception {
    Result keygen = cli.run("keygen", "--out", tmp.resolve("keys"), "--json");
    JsonNode k = json(keygen);
    assertThat(k.get("command").asText()).isEqualTo("keygen");
    assertThat(k.get("ok").asBoolean()).isTrue();
    assertThat(k.get("keyId").asText()).hasSize(16);
    assertThat(k.get("publicKey").asText()).endsWith("updater.pub");

    Path repo = tmp.resolve("repo");
    Result publish = cli.run("publish", "--repo", repo, "--version", "1.0.0", "--key",
        tmp.resolve("keys/updater.key"), artifact(tmp.resolve("build"), "app.zip", "1.0.0"),
        "--json");
    JsonNode p = json(publish);
    assertThat(p.get("version").asText()).isEqualTo("1.0.0");
    assertThat(p.get("serial").asLong()).isEqualTo(1);
    assertThat(p.get("signedBy").asText()).isEqualTo(k.get("keyId").asText());
    assertThat(p.get("artifacts").get(0).get("sha256").asText()).hasSize(64);
    assertThat(publish.err()).contains("published 1.0.0");

    Path home = tmp.resolve("home");
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust",
        tmp.resolve("keys/updater.pub")).code()).isZero();
    JsonNode h = json(cli.run("history", "--home", home, "--json"));
    assertThat(h.get("history")).hasSize(1);
    assertThat(h.get("history").get(0).get("outcome").asText()).isEqualTo("succeeded");
    assertThat(h.get("history").get(0).get("to").asText()).isEqualTo("1.0.0");

    JsonNode d = json(cli.run("doctor", "--home", home, "--json"));
    assertThat(d.get("checks").size()).isPositive();
    assertThat(d.get("checks").get(0).has("area")).isTrue();
    assertThat(d.get("failures").asInt()).isZero();
    assertThat(d.get("notChecked")).isNotEmpty();
  }

  @Test
  void aRefusedKeygenIsStillOneJsonObject() throws Exception {
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();

    Result again = cli.run("keygen", "--out", tmp.resolve("keys"), "--json");

    assertThat(again.code()).isEqualTo(Exit.REFUSED);
    JsonNode j = json(again);
    assertThat(j.get("ok").asBoolean()).isFalse();
    assertThat(j.get("error").get("message").asText()).contains("already exists");
  }
}
