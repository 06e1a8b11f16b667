package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.testkit.Digests;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.ReleaseArchives;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases with one artifact per platform: an install takes the one for its platform, refuses a
 * release without one (nothing downloaded, nothing changed), and the platform survives the signed
 * index while an index written before platforms still reads.
 */
class PlatformInstallTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");
  static final Platform LINUX = Platform.parse("linux-x86_64");
  static final Platform MAC = Platform.parse("darwin-aarch64");

  @TempDir Path tmp;

  private static byte[] build(String platform) {
    return ReleaseArchives.builder().file("BUILT_FOR", platform).tarGz();
  }

  private static Artifact artifact(String name, byte[] bytes, Platform platform) {
    return new Artifact(name, bytes.length, Digests.sha256(bytes), "releases/1.0.0/" + name)
        .withPlatform(platform);
  }

  private InMemoryReleaseSource twoPlatforms() {
    byte[] linux = build("linux");
    byte[] mac = build("mac");
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    source.add(new Release(V1, "stable", List.of(artifact("app-linux.tar.gz", linux, LINUX),
        artifact("app-mac.tar.gz", mac, MAC)), Requirements.NONE, "", Optional.empty()),
        Map.of("app-linux.tar.gz", linux, "app-mac.tar.gz", mac));
    return source;
  }

  @Test
  void shouldInstallTheArtifactOfThePlatformItRunsOn() throws IOException {
    InMemoryReleaseSource source = twoPlatforms();
    Path home = tmp.resolve("home");
    Updater mac = Updaters.builder(home, source).platform(MAC).build();

    mac.install(mac.find(V1).orElseThrow());

    assertThat(home.resolve("current/BUILT_FOR")).hasContent("mac");
    assertThat(source.opens()).extracting(o -> o.artifact().name())
        .containsOnly("app-mac.tar.gz");
  }

  @Test
  void shouldRefuseAReleaseWithoutAnArtifactForThisPlatformWithNothingChanged() {
    InMemoryReleaseSource source = twoPlatforms();
    Path home = tmp.resolve("home");
    Updater windows = Updaters.builder(home, source)
        .platform(Platform.parse("windows-x86_64")).build();

    assertThatThrownBy(() -> windows.install(windows.find(V1).orElseThrow()))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
          assertThat(e.step()).contains(Step.CHECK);
          assertThat(e.getMessage()).contains("no artifact for this platform, windows-x86_64",
              "linux-x86_64, darwin-aarch64", "--platform windows-x86_64");
        });
    assertThat(source.opens()).isEmpty();
    assertThat(home.resolve("current")).doesNotExist();
    assertThat(windows.history().get(0).outcome()).isEqualTo(HistoryEntry.Outcome.REFUSED);
  }

  @Test
  void shouldNotOfferAReleaseWithoutAnArtifactForThisPlatformButTheNewestThatHasOne() {
    InMemoryReleaseSource source = twoPlatforms();
    byte[] linux = build("linux 1.1.0");
    source.add(new Release(V2, "stable", List.of(new Artifact("app-linux.tar.gz", linux.length,
        Digests.sha256(linux), "releases/1.1.0/app-linux.tar.gz").withPlatform(LINUX)),
        Requirements.NONE, "", Optional.empty()), Map.of("app-linux.tar.gz", linux));
    Updater mac = Updaters.builder(tmp.resolve("mac"), source).platform(MAC).build();
    Updater onLinux = Updaters.builder(tmp.resolve("linux"), source).platform(LINUX).build();

    assertThat(mac.check()).map(Release::version).as("1.1.0 has no mac build").contains(V1);
    assertThat(onLinux.check()).map(Release::version).contains(V2);
    assertThat(mac.report(true).update()).map(Release::version).contains(V1);
    assertThat(mac.report(true).latest()).as("the channel's newest is still shown").contains(V2);
  }

  @Test
  void shouldKeepThePlatformInTheIndexAndReadAnIndexWrittenWithoutOne() throws IOException {
    Path repo = tmp.resolve("repo");
    RepositoryWriter writer = RepositoryWriter.unsigned(repo);
    Path file = Files.write(tmp.resolve("app-linux.tar.gz"), build("linux"));
    writer.putArtifact(V1, file, RepositoryWriter.IfDifferent.REFUSE);
    writer.publish("app", Release.of(V1, "stable", writer.describe(V1, file).withPlatform(LINUX)),
        Instant.now().plusSeconds(3600));

    Release read = DirectoryReleaseSource.of(repo).index("stable").find(V1).orElseThrow();
    assertThat(read.primaryArtifact().platform()).contains(LINUX);
    assertThat(Files.readString(repo.resolve("channels/stable.json")))
        .contains("\"platform\": \"linux-x86_64\"");

    Path old = tmp.resolve("old");
    Files.createDirectories(old.resolve("channels"));
    Files.writeString(old.resolve("channels/stable.json"), Files.readString(
        repo.resolve("channels/stable.json")).replace(",\n          \"platform\": \"linux-x86_64\"",
            ""));
    assertThat(Files.readString(old.resolve("channels/stable.json"))).doesNotContain("platform");
    Release legacy = DirectoryReleaseSource.of(old).index("stable").find(V1).orElseThrow();
    assertThat(legacy.primaryArtifact().platform()).isEmpty();
    assertThat(legacy.forPlatform(MAC)).isPresent();
  }
}
