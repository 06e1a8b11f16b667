package dev.updater.core.source.github;

import dev.updater.core.FaultyHttpServer;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import static dev.updater.core.source.github.GitHubFixture.archiveName;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.Digests;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real pipeline installing releases from a local server that speaks the GitHub REST API. */
class GitHubReleaseSourceEndToEndTest {

  @TempDir
  Path root;

  @TempDir
  Path home;

  private FaultyHttpServer server;
  private GitHubFixture github;

  @BeforeEach
  void startServer() throws IOException {
    server = FaultyHttpServer.serve(root);
    github = new GitHubFixture(root, server.baseUrl());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private GitHubReleaseSource.Builder source() {
    return GitHubReleaseSource.builder(GitHubFixture.REPO)
        .apiBase(server.baseUrl())
        .assetName(GitHubFixture.PATTERN)
        .readTimeout(Duration.ofSeconds(2))
        .maxAttempts(1);
  }

  private Updater updater(GitHubReleaseSource source, String channel) {
    return Updater.builder().home(home).source(source).channel(channel).freeSpace(0, 3).build();
  }

  @Test
  void shouldInstallTheNewestStableReleaseFromGitHubReleases() throws IOException {
    github.release("v1.0.0");
    github.release("v1.1.0");
    github.release("v1.2.0-rc.1").prerelease();
    github.write();
    Updater updater = updater(source().build(), "stable");

    UpdateResult result = updater.install(updater.check().orElseThrow());

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.empty(), Version.parse("1.1.0")));
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0\n");
  }

  @Test
  void shouldUpdateToAPreReleaseOnBeta() throws IOException {
    github.release("v1.0.0");
    github.write();
    Updater updater = updater(source().build(), "beta");
    updater.install(updater.check().orElseThrow());
    github.release("v1.1.0-rc.1").prerelease();
    github.write();

    UpdateResult result = updater.install(updater.check(true).orElseThrow());

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(Version.parse("1.0.0")),
        Version.parse("1.1.0-rc.1")));
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0-rc.1\n");
  }

  @Test
  void shouldFailVerificationWhenTheAssetBytesAreTampered() throws IOException {
    GitHubFixture.Rel rel = github.release("v1.0.0");
    github.write();
    byte[] tampered = rel.archive().clone();
    tampered[tampered.length / 2] ^= 0x5a; // same size, other bytes
    github.replaceAsset("v1.0.0", archiveName("v1.0.0"), tampered);
    Updater updater = updater(source().build(), "stable");
    Release release = updater.check().orElseThrow();

    assertThatThrownBy(() -> updater.install(release))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
          assertThat(e.step()).contains(Step.VERIFY);
        });
    assertThat(home.resolve("current")).doesNotExist();
    assertThat(home.resolve("releases/1.0.0")).doesNotExist();
  }

  @Test
  void shouldInstallAReleaseWhoseChecksumFileIsSigned() throws IOException {
    SigningKey key = SigningKey.generate();
    github.release("v1.0.0").signedBy(key);
    github.write();
    Updater updater = updater(source().trustedKeys(TrustedKeys.parse(key.publicKeyText())).build(),
        "stable");

    updater.install(updater.check().orElseThrow());

    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0\n");
  }

  @Test
  void shouldRefuseATamperedSignedChecksumFileAtTheCheck() throws IOException {
    SigningKey key = SigningKey.generate();
    GitHubFixture.Rel rel = github.release("v1.0.0").signedBy(key);
    rel.checksums(Digests.sha256("evil".getBytes(UTF_8)) + "  "
        + archiveName("v1.0.0") + "\n");
    github.write();
    Updater updater = updater(source().trustedKeys(TrustedKeys.parse(key.publicKeyText())).build(),
        "stable");

    assertThatThrownBy(updater::check)
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED))
        .hasMessageContaining("SHA256SUMS.minisig: bad signature");
    assertThat(home.resolve("current")).doesNotExist();
  }
}
