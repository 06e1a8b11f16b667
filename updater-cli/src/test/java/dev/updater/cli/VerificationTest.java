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

/** Installs refuse what the publisher's key does not vouch for, with exit code 4 and the why. */
class VerificationTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path home;
  Path pub;

  @BeforeEach
  void publishSigned() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    pub = cli.publishSigned(tmp, repo, "1.0.0", "1.1.0");
  }

  Result check(Path trust) {
    return cli.run("check", "--home", home, "--source", repo, "--trust", trust);
  }

  @Test
  void anIndexChangedAfterSigningIsRefusedByCheckAndInstall() throws IOException {
    assertThat(cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--version", "1.0.0").code()).isZero();
    Path index = repo.resolve("channels/stable.json");
    Files.writeString(index, Files.readString(index).replace("\"notes\"", "\"note\"")
        .replace("\"serial\": 2", "\"serial\": 3"));

    Result check = check(pub);
    assertThat(check.code()).as("%s", check).isEqualTo(Exit.VERIFICATION);
    assertThat(check.err()).contains("VERIFICATION_FAILED", "stable.json.minisig",
        "Nothing was installed", "--trust");

    Result install = cli.run("install", "--home", home, "--source", repo, "--trust", pub);
    assertThat(install.code()).isEqualTo(Exit.VERIFICATION);
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void anIndexOfAnotherApplicationIsRefusedWhenTheApplicationIsNamed() {
    Result other = cli.run("check", "--home", home, "--source", repo, "--trust", pub,
        "--application", "billing");
    assertThat(other.code()).as("%s", other).isEqualTo(Exit.VERIFICATION);
    assertThat(other.err()).contains("VERIFICATION_FAILED", "application 'repo', not 'billing'");

    Result own = cli.run("check", "--home", home, "--source", repo, "--trust", pub,
        "--application", "repo");
    assertThat(own.code()).as("%s", own).isZero();
  }

  @Test
  void anIndexSignedByAnotherKeyIsRefused() {
    assertThat(cli.run("keygen", "--out", tmp.resolve("other")).code()).isZero();
    Result r = check(tmp.resolve("other/updater.pub"));
    assertThat(r.code()).as("%s", r).isEqualTo(Exit.VERIFICATION);
    assertThat(r.err()).contains("VERIFICATION_FAILED");
  }

  @Test
  void twoTrustedKeysAcceptEitherSigner() {
    assertThat(cli.run("keygen", "--out", tmp.resolve("other")).code()).isZero();
    Result r = cli.run("check", "--home", home, "--source", repo,
        "--trust", tmp.resolve("other/updater.pub"), "--trust", pub);
    assertThat(r.code()).as("%s", r).isZero();
  }

  @Test
  void aMissingSignatureIsRefusedButUnsignedMayBeAskedFor() throws IOException {
    Files.delete(repo.resolve("channels/stable.json.minisig"));
    Result signed = check(pub);
    assertThat(signed.code()).isEqualTo(Exit.VERIFICATION);
    assertThat(signed.err()).contains("not signed");

    Result unsigned = cli.run("check", "--home", home, "--source", repo, "--unsigned");
    assertThat(unsigned.code()).as("%s", unsigned).isZero();
    assertThat(unsigned.out()).contains("available: 1.1.0");
  }

  @Test
  void checkNeedsTrustOrUnsigned() {
    Result r = cli.run("check", "--home", home, "--source", repo);
    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("missing --trust PUBFILE", "--unsigned", "usage: updater check");
  }

  @Test
  void theSecretKeyIsNotAcceptedAsTrust() {
    Result r = check(tmp.resolve("keys/updater.key"));
    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("--trust", "not the secret key");
  }

  @Test
  void aMissingSourceIsUnavailable() {
    Result r = cli.run("check", "--home", home, "--source", tmp.resolve("no-repo"),
        "--trust", pub);
    assertThat(r.code()).as("%s", r).isEqualTo(Exit.UNAVAILABLE);
    assertThat(r.err()).contains("SOURCE_UNAVAILABLE", "--source");
  }

  @Test
  void aFileUriNamesTheSameRepository() {
    Result r = cli.run("check", "--home", home, "--source", repo.toUri(), "--trust", pub);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("available: 1.1.0");
  }

  @Test
  void anUnknownSchemeIsAUsageError() {
    Result r = cli.run("check", "--home", home, "--source", "ftp://example.com/repo",
        "--trust", pub);
    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("scheme 'ftp'", "[file, github, http, https]");
  }
}
