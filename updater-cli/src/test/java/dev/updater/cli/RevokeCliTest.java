package dev.updater.cli;

import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish --revoke V --reason TEXT} on a signed repository, seen by installs on different
 * versions through {@code check}, {@code status} and {@code install}; and each bad revocation
 * refused with the index unchanged.
 */
class RevokeCliTest {
  private static final String REASON = "loses uploads on restart; 1.2.0 fixes it";

  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path pub;
  Path key;

  @BeforeEach
  void publishTwoReleases() throws IOException {
    repo = tmp.resolve("repo");
    pub = cli.publishSigned(tmp, repo, "1.0.0", "1.1.0");
    key = tmp.resolve("keys/updater.key");
  }

  Result sourced(String command, Path home, Object... extra) {
    Object[] base = {command, "--home", home, "--source", repo, "--trust", pub};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli.run(all);
  }

  Path installedAt(String name, String... versions) {
    Path home = tmp.resolve(name);
    for (String version : versions) {
      Result r = sourced("install", home, "--version", version);
      assertThat(r.code()).as("%s", r).isZero();
    }
    return home;
  }

  byte[] index() throws IOException {
    return Files.readAllBytes(repo.resolve("channels/stable.json"));
  }

  @Test
  void aRevocationIsSignedAndEachInstallReportsWhatConcernsIt() throws IOException {
    Path onOld = installedAt("old", "1.0.0");
    Path onRevoked = installedAt("revoked", "1.1.0");
    Path another = installedAt("another", "1.0.0", "1.1.0");

    Result revoke = cli.run("publish", "--repo", repo, "--key", key, "--revoke", "1.1.0",
        "--reason", REASON);

    assertThat(revoke.code()).as("%s", revoke).isZero();
    assertThat(revoke.out()).contains("revoked 1.1.0 on channel stable (serial 3", REASON);
    Result oldCheck = sourced("check", onOld);
    assertThat(oldCheck.out()).contains("installed: 1.0.0", "up to date")
        .doesNotContain("REVOKED", "available:");
    Result refused = sourced("install", onOld, "--version", "1.1.0");
    assertThat(refused.code()).as("%s", refused).isEqualTo(Exit.REFUSED);
    assertThat(refused.err()).contains("1.1.0 was revoked by its publisher", REASON);
    assertThat(live(onOld)).isEqualTo("1.0.0");

    Result check = sourced("check", onRevoked);
    assertThat(check.code()).as("%s", check).isZero();
    assertThat(check.out()).startsWith("REVOKED:   the installed 1.1.0 was revoked by its "
        + "publisher on 2026-03-01T12:00:00Z: " + REASON)
        .contains("updater rollback --home " + onRevoked + " --version V");
    assertThat(cli.run("status", "--home", onRevoked).out()).contains("REVOKED:", REASON);
    JsonNode json = JsonOutputTest.json(cli.run("status", "--home", onRevoked, "--json"));
    assertThat(json.get("revoked").get("reason").asText()).isEqualTo(REASON);

    Result back = cli.run("rollback", "--home", another, "--version", "1.0.0");
    assertThat(back.code()).as("%s", back).isZero();
    assertThat(live(another)).isEqualTo("1.0.0");
    assertThat(sourced("check", another).out()).doesNotContain("REVOKED");
  }

  @Test
  void badRevocationsAreRefusedAndLeaveTheIndexAsItWas() throws IOException {
    byte[] before = index();

    Result noReason = cli.run("publish", "--repo", repo, "--key", key, "--revoke", "1.1.0");
    Result unknown = cli.run("publish", "--repo", repo, "--key", key, "--revoke", "9.9.9",
        "--reason", REASON);
    Result unsigned = cli.run("publish", "--repo", repo, "--revoke", "1.1.0", "--reason", REASON);
    Result mixed = cli.run("publish", "--repo", repo, "--key", key, "--revoke", "1.1.0",
        "--reason", REASON, "--version", "1.1.0");

    assertThat(noReason.code()).as("%s", noReason).isEqualTo(Exit.USAGE);
    assertThat(noReason.err()).contains("--reason");
    assertThat(unknown.code()).as("%s", unknown).isEqualTo(Exit.REFUSED);
    assertThat(unknown.err()).contains("9.9.9 is not published on channel stable");
    assertThat(unsigned.code()).as("%s", unsigned).isEqualTo(Exit.REFUSED);
    assertThat(unsigned.err()).contains("is signed but no --key was given");
    assertThat(mixed.code()).as("%s", mixed).isEqualTo(Exit.USAGE);
    assertThat(index()).isEqualTo(before);

    assertThat(cli.run("publish", "--repo", repo, "--key", key, "--revoke", "1.1.0",
        "--reason", REASON).code()).isZero();
    byte[] revoked = index();
    Result twice = cli.run("publish", "--repo", repo, "--key", key, "--revoke", "1.1.0",
        "--reason", "again");
    assertThat(twice.code()).as("%s", twice).isEqualTo(Exit.REFUSED);
    assertThat(twice.err()).contains("1.1.0 is already revoked");
    Result republish = cli.run("publish", "--repo", repo, "--version", "1.1.0", "--key", key,
        CliHarness.artifact(tmp.resolve("build2"), "app-1.1.0.zip", "1.1.0"));
    assertThat(republish.code()).as("a revoked version is not published again").isNotZero();
    assertThat(republish.err()).contains("1.1.0 is revoked");
    assertThat(index()).isEqualTo(revoked);
  }
}
