package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Platform names, their detection from the JVM's properties, and a release's choice by them. */
class PlatformTest {
  private static final String SHA = "a".repeat(64);

  @Test
  void shouldNameTheJvmsPlatformsAsReleasesDo() {
    assertThat(Platform.fromProperties("Linux", "amd64")).hasToString("linux-x86_64");
    assertThat(Platform.fromProperties("Linux", "aarch64")).hasToString("linux-aarch64");
    assertThat(Platform.fromProperties("Mac OS X", "aarch64")).hasToString("darwin-aarch64");
    assertThat(Platform.fromProperties("Mac OS X", "x86_64")).hasToString("darwin-x86_64");
    assertThat(Platform.fromProperties("Windows 11", "amd64")).hasToString("windows-x86_64");
    assertThat(Platform.fromProperties("FreeBSD", "i386")).hasToString("freebsd-x86");
    assertThat(Platform.current()).isEqualTo(Platform.fromProperties(
        System.getProperty("os.name"), System.getProperty("os.arch")));
  }

  @Test
  void shouldParseWhatItPrints() {
    assertThat(Platform.parse("linux-x86_64")).isEqualTo(new Platform("linux", "x86_64"));
  }

  @Test
  void shouldRefuseMalformedNames() {
    for (String bad : List.of("linux", "linux-", "-x86_64", "linux-x86-64", "Linux-x86_64")) {
      assertThatThrownBy(() -> Platform.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'");
    }
  }

  @Test
  void shouldPutTheArtifactOfThePlatformFirstAndDropAManifestThatDescribesAnother() {
    Artifact linux = new Artifact("app-linux", 1, SHA, "l").withPlatform(Platform.parse(
        "linux-x86_64"));
    Artifact mac = new Artifact("app-mac", 1, SHA, "m").withPlatform(Platform.parse(
        "darwin-aarch64"));
    Release release = new Release(Version.parse("1.0.0"), "stable", List.of(linux, mac),
        Requirements.NONE, "", Optional.empty()).withManifest(new Artifact("m.json", 1, SHA, "j"));

    Release forMac = release.forPlatform(Platform.parse("darwin-aarch64")).orElseThrow();
    Release forLinux = release.forPlatform(Platform.parse("linux-x86_64")).orElseThrow();

    assertThat(forMac.primaryArtifact()).isEqualTo(mac);
    assertThat(forMac.manifest()).isEmpty();
    assertThat(forLinux).isSameAs(release);
    assertThat(release.forPlatform(Platform.parse("windows-x86_64"))).isEmpty();
    assertThat(release.platforms()).extracting(Object::toString)
        .containsExactly("linux-x86_64", "darwin-aarch64");
  }

  @Test
  void shouldServeEveryPlatformFromAReleaseWithoutPlatforms() {
    Release plain = Release.of(Version.parse("1.0.0"), "stable", new Artifact("a", 1, SHA, "a"));
    assertThat(plain.forPlatform(Platform.parse("windows-aarch64"))).contains(plain);
    assertThat(plain.platforms()).isEmpty();
  }
}
