package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import dev.updater.core.source.SourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --source} and {@code --trust} given once are remembered in the home; flags win. */
class RememberedSourceTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path home;
  Path pub;

  @BeforeEach
  void publishSigned() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    pub = tmp.resolve("keys/updater.pub");
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    publish(repo, "1.0.0", tmp.resolve("keys/updater.key"));
  }

  private void publish(Path repository, String version, Path key) throws IOException {
    Result r = cli.run("publish", "--repo", repository, "--version", version, "--key", key,
        artifact(tmp.resolve("build"), "app-" + version + ".zip", version));
    assertThat(r.code()).as("%s", r).isZero();
  }

  @Test
  void aLaterCheckAndInstallInTheSameHomeNeedNeitherSourceNorTrust() throws IOException {
    Result first = cli.run("install", "--home", home, "--source", repo, "--trust", pub);
    assertThat(first.code()).as("%s", first).isZero();
    publish(repo, "1.1.0", tmp.resolve("keys/updater.key"));

    Result check = cli.run("check", "--home", home);
    Result install = cli.run("install", "--home", home);

    assertThat(check.code()).as("%s", check).isZero();
    assertThat(check.out()).contains("available: 1.1.0");
    assertThat(install.code()).as("%s", install).isZero();
    assertThat(live(home)).isEqualTo("1.1.0");
    assertThat(SourceSettings.read(home)).contains(SourceSettings.of(repo.toAbsolutePath().toUri())
        .withTrustedKeys(List.of(pub)));
  }

  @Test
  void anExplicitSourceWinsOverTheRememberedOneAndIsRememberedInItsPlace() throws IOException {
    assertThat(cli.run("check", "--home", home, "--source", repo, "--trust", pub).code()).isZero();
    Path mirror = tmp.resolve("mirror");
    publish(mirror, "1.0.0", tmp.resolve("keys/updater.key"));
    publish(mirror, "2.0.0", tmp.resolve("keys/updater.key"));

    Result check = cli.run("check", "--home", home, "--source", mirror);

    assertThat(check.code()).as("%s", check).isZero();
    assertThat(check.out()).as("the remembered key checked the mirror").contains("available: 2.0.0");
    assertThat(SourceSettings.read(home).map(SourceSettings::source))
        .contains(mirror.toAbsolutePath().toUri());
  }

  @Test
  void anExplicitTrustWinsOverTheRememberedKey() {
    assertThat(cli.run("check", "--home", home, "--source", repo, "--trust", pub).code()).isZero();
    assertThat(cli.run("keygen", "--out", tmp.resolve("other")).code()).isZero();

    Result check = cli.run("check", "--home", home, "--trust", tmp.resolve("other/updater.pub"));

    assertThat(check.code()).as("%s", check).isEqualTo(Exit.VERIFICATION);
    assertThat(SourceSettings.read(home).map(SourceSettings::trustedKeys))
        .as("a refused key is not remembered").contains(List.of(pub));
  }

  @Test
  void aSourceWhoseIndexFailsVerificationIsNotRemembered() {
    assertThat(cli.run("keygen", "--out", tmp.resolve("other")).code()).isZero();

    Result check = cli.run("check", "--home", home, "--source", repo,
        "--trust", tmp.resolve("other/updater.pub"));

    assertThat(check.code()).isEqualTo(Exit.VERIFICATION);
    assertThat(SourceSettings.read(home)).isEmpty();
  }

  @Test
  void unsignedIsNeverRememberedAsSuch() {
    assertThat(cli.run("check", "--home", home, "--source", repo, "--unsigned").code()).isZero();

    Result again = cli.run("check", "--home", home);

    assertThat(again.code()).isEqualTo(Exit.USAGE);
    assertThat(again.err()).contains("missing --trust PUBFILE");
    assertThat(cli.run("check", "--home", home, "--unsigned").code()).isZero();
  }

  @Test
  void withoutARememberedSourceTheOptionIsRequiredNamingTheFile() {
    Result r = cli.run("check", "--home", home, "--trust", pub);

    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("missing --source SOURCE", "source.json");
  }

  @Test
  void aBrokenRememberedFileIsABadArgumentUnlessEveryOptionIsGiven() throws IOException {
    Files.createDirectories(home.resolve(".updater"));
    Files.writeString(SourceSettings.file(home), "{ not json");

    Result omitted = cli.run("check", "--home", home);
    Result given = cli.run("check", "--home", home, "--source", repo, "--trust", pub);

    assertThat(omitted.code()).isEqualTo(Exit.USAGE);
    assertThat(omitted.err()).contains("source.json", "delete it");
    assertThat(given.code()).as("%s", given).isZero();
    assertThat(SourceSettings.read(home).map(SourceSettings::source))
        .isEqualTo(Optional.of(repo.toAbsolutePath().toUri()));
  }
}
