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
 * {@code publish --rollout N}: the percentage is part of the signed index; changing it on a
 * published version re-signs the index with a higher serial and needs no {@code --force}.
 */
class RolloutPublishTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path key;
  Path pub;
  Path home;
  Path build;

  @BeforeEach
  void publishOneZeroZeroAndInstallIt() throws IOException {
    repo = tmp.resolve("repo");
    key = tmp.resolve("keys/updater.key");
    pub = tmp.resolve("keys/updater.pub");
    home = tmp.resolve("home");
    build = tmp.resolve("build");
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    assertThat(publish("1.0.0", "--artifact", artifact(build, "app-1.0.0.zip", "1.0.0")).code())
        .isZero();
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust", pub).code())
        .isZero();
  }

  Result publish(String version, Object... extra) {
    Object[] base = {"publish", "--repo", repo, "--version", version, "--key", key};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli.run(all);
  }

  JsonNode index() throws IOException {
    return new ObjectMapper().readTree(Files.readString(repo.resolve("channels/stable.json")));
  }

  JsonNode release(String version) throws IOException {
    for (JsonNode r : index().get("releases")) {
      if (r.get("version").asText().equals(version)) {
        return r;
      }
    }
    throw new AssertionError(version + " is not in the index");
  }

  Result check() {
    return cli.run("check", "--home", home, "--source", repo, "--trust", pub);
  }

  @Test
  void shouldHoldBackAHaltedReleaseAndOfferItOnceRaisedWithoutForce() throws IOException {
    Result halted = publish("1.1.0", "--rollout", "0",
        "--artifact", artifact(build, "app-1.1.0.zip", "1.1.0"));
    assertThat(halted.code()).as("%s", halted).isZero();
    assertThat(halted.out()).contains("rollout halted (0%)");
    assertThat(release("1.1.0").get("rollout").asInt()).isZero();
    long serial = index().get("serial").asLong();
    assertThat(check().out()).contains("up to date");

    Result raised = publish("1.1.0", "--rollout", "100");

    assertThat(raised.code()).as("%s", raised).isZero();
    assertThat(index().get("serial").asLong()).isEqualTo(serial + 1);
    assertThat(release("1.1.0").has("rollout")).as("100%% is the default, not written").isFalse();
    assertThat(release("1.1.0").get("artifacts").get(0).get("name").asText())
        .isEqualTo("app-1.1.0.zip");
    Result check = check();
    assertThat(check.code()).as("%s", check).isZero();
    assertThat(check.out()).contains("available: 1.1.0");
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust", pub).code())
        .isZero();
    assertThat(live(home)).isEqualTo("1.1.0");
  }

  @Test
  void shouldKeepTheRolloutWhenTheSameBytesArePublishedAgain() throws IOException {
    Path file = artifact(build, "app-1.1.0.zip", "1.1.0");
    assertThat(publish("1.1.0", "--rollout", "25", "--artifact", file).code()).isZero();

    Result again = publish("1.1.0", "--artifact", file);

    assertThat(again.code()).as("%s", again).isZero();
    assertThat(release("1.1.0").get("rollout").asInt()).isEqualTo(25);
    assertThat(again.out()).contains("rollout 25%");
  }

  @Test
  void shouldStillRefuseOtherBytesWithARollout() throws IOException {
    assertThat(publish("1.1.0", "--artifact", artifact(build, "app-1.1.0.zip", "1.1.0")).code())
        .isZero();
    Path other = artifact(tmp.resolve("other"), "app-1.1.0.zip", "1.1.0-other");

    Result r = publish("1.1.0", "--rollout", "50", "--artifact", other);

    assertThat(r.code()).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).contains("already published");
    assertThat(release("1.1.0").has("rollout")).isFalse();
  }

  @Test
  void shouldRefuseARolloutOfAnUnpublishedVersionWithoutItsArtifact() throws IOException {
    long serial = index().get("serial").asLong();

    Result r = publish("2.0.0", "--rollout", "10");

    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("2.0.0 is not published", "--artifact");
    assertThat(index().get("serial").asLong()).isEqualTo(serial);
  }

  @Test
  void shouldRejectAPercentageOutOfRange() {
    assertThat(publish("1.0.0", "--rollout", "-1").code()).isEqualTo(Exit.USAGE);
    assertThat(publish("1.0.0", "--rollout", "abc").err()).contains("from 0 (halted) to 100");
  }
}
