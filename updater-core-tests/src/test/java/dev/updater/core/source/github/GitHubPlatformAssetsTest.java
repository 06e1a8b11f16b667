package dev.updater.core.source.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.FaultyHttpServer;
import dev.updater.core.Platform;
import dev.updater.core.Release;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.testkit.Digests;
import dev.updater.testkit.ReleaseArchives;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An asset pattern with {@code {os}} and {@code {arch}}: every matching asset of a GitHub release
 * becomes an artifact for the platform its name says, and an install takes its own.
 */
class GitHubPlatformAssetsTest {
  @TempDir Path root;
  @TempDir Path home;
  private FaultyHttpServer server;
  private GitHubFixture github;

  @BeforeEach
  void publishALinuxAndAMacBuild() throws IOException {
    server = FaultyHttpServer.serve(root);
    github = new GitHubFixture(root, server.baseUrl());
    byte[] linux = ReleaseArchives.builder().file("BUILT_FOR", "linux").tarGz();
    byte[] mac = ReleaseArchives.builder().file("BUILT_FOR", "mac").tarGz();
    github.release("v1.2.0").without(GitHubFixture.archiveName("v1.2.0"))
        .asset("myapp-1.2.0-linux-amd64.tar.gz", linux)
        .asset("myapp-1.2.0-darwin-arm64.tar.gz", mac)
        .asset("myapp-1.2.0-windows-amd64.zip", new byte[] {1}) // not in SHA256SUMS: left out
        .checksums(Digests.sha256(linux) + "  myapp-1.2.0-linux-amd64.tar.gz\n"
            + Digests.sha256(mac) + "  myapp-1.2.0-darwin-arm64.tar.gz\n");
    github.write();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private GitHubReleaseSource source() {
    return GitHubReleaseSource.builder(GitHubFixture.REPO).apiBase(server.baseUrl())
        .assetName("myapp-{version}-{os}-{arch}.tar.gz")
        .readTimeout(Duration.ofSeconds(2)).build();
  }

  @Test
  void shouldListOneArtifactPerPlatformNamedByTheAssets() throws IOException {
    Release release = source().index("stable").find(Version.parse("1.2.0")).orElseThrow();

    assertThat(release.platforms()).extracting(Object::toString)
        .containsExactlyInAnyOrder("linux-x86_64", "darwin-aarch64");
  }

  @Test
  void shouldInstallTheAssetOfTheUpdatersPlatform() throws IOException {
    Updater updater = Updaters.builder(home, source())
        .platform(Platform.parse("darwin-aarch64")).build();

    updater.install(updater.find(Version.parse("1.2.0")).orElseThrow());

    assertThat(home.resolve("current/BUILT_FOR")).hasContent("mac");
  }

  @Test
  void shouldRefuseAPatternWithOnlyOneOfOsAndArch() {
    assertThatThrownBy(() -> GitHubReleaseSource.builder(GitHubFixture.REPO)
        .assetName("myapp-{version}-{os}.tar.gz"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both {os} and {arch}");
  }
}
