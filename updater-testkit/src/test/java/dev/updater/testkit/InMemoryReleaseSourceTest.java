package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.Layout;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Revocation;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryReleaseSourceTest {
  private static final Version V100 = Version.parse("1.0.0");
  private static final Version V110 = Version.parse("1.1.0");
  private final InMemoryReleaseSource source = InMemoryReleaseSource.create();

  @Test
  void publishComputesSizeAndSha256FromTheBytes() {
    byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);

    Release release = source.publish("stable", V100, bytes);

    Artifact artifact = release.primaryArtifact();
    assertThat(artifact.size()).isEqualTo(5);
    assertThat(artifact.sha256())
        .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(artifact.location()).isEqualTo("releases/1.0.0/app-1.0.0");
    assertThat(release.channel()).isEqualTo("stable");
  }

  @Test
  void namesTheArtifactAfterTheArchiveFormat() {
    Release tgz = source.publish(V100, ReleaseArchives.tarGz(Map.of("VERSION", "1.0.0")));
    Release zip = source.publish(V110, ReleaseArchives.zip(Map.of("VERSION", "1.1.0")));

    assertThat(tgz.primaryArtifact().name()).isEqualTo("app-1.0.0.tar.gz");
    assertThat(zip.primaryArtifact().name()).isEqualTo("app-1.1.0.zip");
  }

  @Test
  void indexListsTheChannelsReleasesWithARisingSerial() throws IOException {
    source.publish("stable", V100, new byte[] {1});
    long first = source.index("stable").serial();
    source.publish("stable", V110, new byte[] {2});
    source.publish("beta", Version.parse("2.0.0-beta.1"), new byte[] {3});

    ReleaseIndex stable = source.index("stable");
    assertThat(stable.application()).isEqualTo("test");
    assertThat(stable.serial()).isGreaterThan(first);
    assertThat(stable.releases()).extracting(Release::version).containsExactly(V100, V110);
    assertThat(stable.newest()).map(Release::version).contains(V110);
    assertThat(source.index("beta").releases()).hasSize(1);
  }

  @Test
  void indexOfAnUnknownChannelIsNoSuchFile() {
    assertThatThrownBy(() -> source.index("nightly")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void refusesToPublishAVersionTwiceOnAChannel() {
    source.publish(V100, new byte[] {1});

    assertThatThrownBy(() -> source.publish(V100, new byte[] {2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already published");
  }

  @Test
  void withdrawRemovesAReleaseFromTheIndexAndRaisesTheSerial() throws IOException {
    source.publish(V100, new byte[] {1});
    source.publish(V110, new byte[] {2});
    long before = source.index("stable").serial();

    assertThat(source.withdraw("stable", V110)).isTrue();

    ReleaseIndex after = source.index("stable");
    assertThat(after.releases()).extracting(Release::version).containsExactly(V100);
    assertThat(after.serial()).isGreaterThan(before);
    assertThat(source.withdraw("stable", V110)).isFalse();
  }

  @Test
  void revokeListsTheRevocationKeepsTheReleaseAndRaisesTheSerial() throws IOException {
    source.publish(V100, new byte[] {1});
    source.publish(V110, new byte[] {2});
    long before = source.index("stable").serial();
    Revocation revocation = new Revocation(V110, "corrupts uploads", Instant.EPOCH);

    source.revoke("stable", revocation);

    ReleaseIndex after = source.index("stable");
    assertThat(after.revoked()).containsExactly(revocation);
    assertThat(after.releases()).extracting(Release::version).containsExactly(V100, V110);
    assertThat(after.serial()).isGreaterThan(before);
  }

  @Test
  void refusesToRevokeAnUnlistedOrAlreadyRevokedVersion() throws IOException {
    source.publish(V100, new byte[] {1});
    source.revoke("stable", new Revocation(V100, "bad", Instant.EPOCH));
    long serial = source.index("stable").serial();

    assertThatThrownBy(() -> source.revoke("stable", new Revocation(V110, "bad", Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.1.0 is not published on channel stable");
    assertThatThrownBy(() -> source.revoke("beta", new Revocation(V100, "bad", Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> source.revoke("stable", new Revocation(V100, "again", Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already revoked");
    assertThat(source.index("stable").serial()).isEqualTo(serial);
  }

  @Test
  void anUpdaterNeverOffersOrInstallsARevokedRelease() throws Exception {
    try (TestHome home = TestHomes.jimfs()) {
      Layout layout = home.layout();
      Release first = source.publish(V100, ReleaseArchives.tarGz(Map.of("VERSION", "1.0.0")));
      Release second = source.publish(V110, ReleaseArchives.tarGz(Map.of("VERSION", "1.1.0")));
      MutableClock clock = MutableClock.create();
      Updater updater = Updater.builder()
          .home(layout.home())
          .source(source)
          .activator(SymlinkActivator.builder(layout).build())
          .lockStore(InMemoryLockStore.create(clock))
          .clock(clock)
          .build();
      updater.install(first);

      source.revoke("stable", new Revocation(V110, "corrupts uploads", clock.instant()));

      assertThat(updater.check()).isEmpty();
      assertThatThrownBy(() -> updater.install(second))
          .as("a release object read before the revocation is refused too")
          .isInstanceOfSatisfying(UpdateException.class,
              e -> assertThat(e.reason()).isEqualTo(UpdateException.Reason.INCOMPATIBLE))
          .hasMessageContaining("1.1.0 was revoked by its publisher")
          .hasMessageContaining("corrupts uploads");
      assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo("1.0.0");
    }
  }

  @Test
  void openStreamsTheBytesFromTheOffset() throws IOException {
    Release release = source.publish(V100, "0123456789".getBytes(StandardCharsets.UTF_8));

    try (InputStream in = source.open(release.primaryArtifact(), 4)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("456789");
    }
    assertThat(source.opens()).containsExactly(
        new InMemoryReleaseSource.Open(release.primaryArtifact(), 4));
  }

  @Test
  void openBeyondTheEndFails() {
    Release release = source.publish(V100, new byte[] {1, 2, 3});

    assertThatThrownBy(() -> source.open(release.primaryArtifact(), 4))
        .isInstanceOf(IOException.class).hasMessageContaining("beyond the end");
  }

  @Test
  void addServesBytesThatDoNotMatchTheDeclaredDigest() throws IOException {
    Artifact lying = new Artifact("app.tar.gz", 4, "0".repeat(64), "releases/1.2.0/app.tar.gz");
    source.add(Release.of(Version.parse("1.2.0"), "stable", lying),
        Map.of("app.tar.gz", "evil".getBytes(StandardCharsets.UTF_8)));

    try (InputStream in = source.open(lying, 0)) {
      byte[] bytes = in.readAllBytes();
      assertThat(bytes).asString(StandardCharsets.UTF_8).isEqualTo("evil");
      assertThat(Digests.sha256(bytes)).isNotEqualTo(lying.sha256());
    }
  }

  @Test
  void anArtifactWithoutBytesIsListedButCannotBeOpened() throws IOException {
    Artifact missing = new Artifact("app.tar.gz", 10, "a".repeat(64), "releases/1.2.0/app.tar.gz");
    source.add(Release.of(Version.parse("1.2.0"), "stable", missing), Map.of());

    assertThat(source.index("stable").releases()).hasSize(1);
    assertThatThrownBy(() -> source.open(missing, 0)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void addRefusesBytesForAnArtifactTheReleaseDoesNotHave() {
    Artifact artifact = new Artifact("app.tar.gz", 1, "a".repeat(64), "releases/1.2.0/app.tar.gz");
    Release release = Release.of(Version.parse("1.2.0"), "stable", artifact);

    assertThatThrownBy(() -> source.add(release, Map.of("other.zip", new byte[1])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other.zip");
  }

  @Test
  void failsTheToldOpenAndCountsEveryOpen() throws IOException {
    Release release = source.publish(V100, new byte[] {1, 2, 3});
    IOException reset = new IOException("connection reset");
    source.failOpenOnCall(1, reset);

    assertThatThrownBy(() -> source.open(release.primaryArtifact(), 0)).isSameAs(reset);
    try (InputStream in = source.open(release.primaryArtifact(), 0)) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
    assertThat(source.openCount()).isEqualTo(2);
  }

  @Test
  void failsTheToldIndexCallAndCountsEveryIndexCall() throws IOException {
    source.publish(V100, new byte[] {1});
    IOException down = new IOException("503 Service Unavailable");
    source.failIndexOnCall(2, down);

    source.index("stable");
    assertThatThrownBy(() -> source.index("stable")).isSameAs(down);
    source.index("stable");
    assertThat(source.indexCount()).isEqualTo(3);
  }

  @Test
  void publishedBytesAreCopiedSoLaterChangesDoNotLeakIn() throws IOException {
    byte[] bytes = {1, 2, 3};
    Release release = source.publish(V100, bytes);
    bytes[0] = 9;

    try (InputStream in = source.open(release.primaryArtifact(), 0)) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
  }
}
