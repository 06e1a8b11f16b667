package dev.updater.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish --platform P}, one artifact per platform under one version, and {@code install
 * --platform P} taking its own.
 */
class PlatformCliTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path key;
  Path pub;

  @BeforeEach
  void makeAKey() {
    repo = tmp.resolve("repo");
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    key = tmp.resolve("keys/updater.key");
    pub = tmp.resolve("keys/updater.pub");
  }

  private Path build(String name, String builtFor) throws IOException {
    Path file = Files.createDirectories(tmp.resolve("build")).resolve(name);
    try (OutputStream os = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("BUILT_FOR"));
      zip.write(builtFor.getBytes(UTF_8));
      zip.closeEntry();
    }
    return file;
  }

  private Result publish(String platform, Path file) {
    return cli.run("publish", "--repo", repo, "--version", "1.0.0", "--key", key,
        "--platform", platform, file);
  }

  @Test
  void shouldPublishOneArtifactPerPlatformAndInstallTheOneAsked() throws IOException {
    Result linux = publish("linux-x86_64", build("myapp-linux-x86_64.zip", "linux"));
    Result mac = publish("darwin-aarch64", build("myapp-darwin-aarch64.zip", "mac"));
    assertThat(linux.code()).as("%s", linux).isZero();
    assertThat(mac.code()).as("%s", mac).isZero();
    assertThat(mac.out()).contains("myapp-linux-x86_64.zip", "linux-x86_64",
        "myapp-darwin-aarch64.zip", "darwin-aarch64");

    Path home = tmp.resolve("home");
    Result install = cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--platform", "darwin-aarch64");

    assertThat(install.code()).as("%s", install).isZero();
    assertThat(home.resolve("current/BUILT_FOR")).hasContent("mac");
  }

  @Test
  void shouldRefuseAnInstallForAPlatformWithoutAnArtifactWithNothingChanged() throws IOException {
    assertThat(publish("linux-x86_64", build("myapp-linux-x86_64.zip", "linux")).code()).isZero();
    Path home = tmp.resolve("home");

    Result r = cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--platform", "windows-x86_64");

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.forReason(
        dev.updater.core.UpdateException.Reason.INCOMPATIBLE));
    assertThat(r.err()).contains("no artifact for this platform, windows-x86_64",
        "(it has linux-x86_64)");
    assertThat(home.resolve("current")).doesNotExist();
    assertThat(home.resolve("releases")).doesNotExist();
  }

  @Test
  void shouldRefuseOtherBytesForAPublishedPlatformAndBadPlatformNames() throws IOException {
    assertThat(publish("linux-x86_64", build("myapp-linux-x86_64.zip", "linux")).code()).isZero();
    String before = Files.readString(repo.resolve("channels/stable.json"));

    Result again = publish("linux-x86_64", build("myapp-linux-x86_64.zip", "linux, rebuilt"));
    Result bad = publish("linux_x86_64", build("myapp-other.zip", "x"));
    Result clash = publish("darwin-aarch64", build("myapp-linux-x86_64.zip", "linux"));

    assertThat(again.code()).isEqualTo(Exit.REFUSED);
    assertThat(again.err()).contains("already published for linux-x86_64 with other bytes");
    assertThat(bad.code()).isEqualTo(Exit.USAGE);
    assertThat(bad.err()).contains("--platform: platform 'linux_x86_64' is not <os>-<arch>");
    assertThat(clash.code()).isEqualTo(Exit.REFUSED);
    assertThat(clash.err()).contains("already has an artifact named myapp-linux-x86_64.zip");
    assertThat(Files.readString(repo.resolve("channels/stable.json"))).isEqualTo(before);
  }
}
