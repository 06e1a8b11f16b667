package dev.updater.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.repository.PublishRefusedException.Reason;
import dev.updater.core.repository.RepositoryWriter.IfDifferent;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.testkit.Digests;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publication the way {@code updater publish} and the Maven plugin make one: it verifies once
 * published, and every refusal leaves the repository's files exactly as they were.
 */
class ReleasePublisherTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Version V1 = Version.parse("1.0.0");

  @TempDir Path dir;
  private Path repo;
  private final SigningKey key = SigningKey.generate();

  @BeforeEach
  void setUp() {
    repo = dir.resolve("myapp");
  }

  private Path archive(String name, String content) throws IOException {
    return RawArchives.tar().file("VERSION", content).file("bin/app", "#!/bin/sh\n")
        .writeTarGz(Files.createDirectories(dir.resolve("build")).resolve(name));
  }

  private ReleasePublisher.Builder publisher(Version version, Path artifact) {
    return ReleasePublisher.builder(repo, version).key(key).artifact(artifact).clock(CLOCK);
  }

  private Map<String, String> files() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(repo)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        files.put(repo.relativize(p).toString(), Files.isRegularFile(p) ? Digests.sha256(p) : "/");
      }
    }
    return files;
  }

  @Test
  void aPublishedReleaseVerifiesThroughTheSignature() throws IOException {
    ReleasePublisher.Published published = publisher(V1, archive("app-1.0.0.tar.gz", "1.0.0"))
        .notes("first").build().publish();

    RepositoryReader reader = RepositoryReader.signed(repo,
        TrustedKeys.parse(key.publicKeyText()));
    ReleaseIndex index = reader.index("stable");
    assertThat(index).isEqualTo(published.index());
    assertThat(index.application()).isEqualTo("myapp");
    assertThat(index.serial()).isEqualTo(1);
    assertThat(index.expires()).contains(NOW.plus(ReleasePublisher.DEFAULT_EXPIRY));
    Release release = index.find(V1).orElseThrow();
    assertThat(release.notes()).isEqualTo("first");
    assertThat(release.rollout()).isEqualTo(Release.FULL_ROLLOUT);
    assertThat(release.manifest()).isPresent();
    assertThat(reader.verify(release).objects()).isEqualTo(2);
    assertThat(published.tree()).hasValueSatisfying(t -> assertThat(t.files()).isEqualTo(2));
  }

  @Test
  void theSameBytesAgainReSignTheIndexAndKeepTheRollout() throws IOException {
    Path artifact = archive("app-1.0.0.tar.gz", "1.0.0");
    publisher(V1, artifact).rollout(20).build().publish();

    ReleaseIndex again = publisher(V1, artifact).build().publish().index();

    assertThat(again.serial()).isEqualTo(2);
    assertThat(again.find(V1).orElseThrow().rollout()).isEqualTo(20);
  }

  @Test
  void aRolloutAloneChangesThePercentageOfAPublishedVersion() throws IOException {
    publisher(V1, archive("app-1.0.0.tar.gz", "1.0.0")).build().publish();

    Release halted = ReleasePublisher.builder(repo, V1).key(key).rollout(0).clock(CLOCK).build()
        .publish().release();

    assertThat(halted.rollout()).isZero();
    assertThat(halted.artifacts()).extracting(a -> a.name()).containsExactly("app-1.0.0.tar.gz");
  }

  @Test
  void aSignedChannelWithoutAKeyIsRefusedAndNothingChanges() throws IOException {
    publisher(V1, archive("app-1.0.0.tar.gz", "1.0.0")).build().publish();
    Map<String, String> before = files();

    assertRefused(ReleasePublisher.builder(repo, Version.parse("1.1.0"))
        .artifact(archive("app-1.1.0.tar.gz", "1.1.0")).build(), Reason.KEY_REQUIRED,
        "is signed");
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void anotherKeyIsRefusedUnlessReplacingAndNothingChanges() throws IOException {
    publisher(V1, archive("app-1.0.0.tar.gz", "1.0.0")).build().publish();
    Map<String, String> before = files();
    SigningKey other = SigningKey.generate();
    Path next = archive("app-1.1.0.tar.gz", "1.1.0");

    assertRefused(ReleasePublisher.builder(repo, Version.parse("1.1.0")).key(other)
        .artifact(next).build(), Reason.INDEX_NOT_VERIFIED, "does not verify with key");
    assertThat(files()).isEqualTo(before);

    ReleaseIndex rotated = ReleasePublisher.builder(repo, Version.parse("1.1.0")).key(other)
        .artifact(next).ifDifferent(IfDifferent.REPLACE).build().publish().index();
    assertThat(RepositoryReader.signed(repo, TrustedKeys.parse(other.publicKeyText()))
        .index("stable")).isEqualTo(rotated);
  }

  @Test
  void otherBytesForAPublishedVersionAreRefusedAndNothingChanges() throws IOException {
    publisher(V1, archive("app-1.0.0.tar.gz", "1.0.0")).build().publish();
    Map<String, String> before = files();

    Files.delete(dir.resolve("build/app-1.0.0.tar.gz"));
    assertRefused(publisher(V1, archive("app-1.0.0.tar.gz", "1.0.0 rebuilt")).build(),
        Reason.VERSION_EXISTS, "already published");
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void anotherChannelsFileOfTheVersionIsNotOverwritten() throws IOException {
    publisher(V1, archive("app-1.0.0.tar.gz", "1.0.0")).build().publish();
    Map<String, String> before = files();

    Files.delete(dir.resolve("build/app-1.0.0.tar.gz"));
    assertRefused(publisher(V1, archive("app-1.0.0.tar.gz", "beta bytes")).channel("beta")
        .build(), Reason.VERSION_EXISTS, "another channel");
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void anArchiveAnInstallWouldRefuseIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path evil = RawArchives.tar().file("../escape", "x").writeTarGz(
        Files.createDirectories(dir.resolve("build")).resolve("app-1.0.0.tar.gz"));

    assertRefused(publisher(V1, evil).build(), Reason.ARTIFACT_REJECTED, "would be refused");
    assertThat(Files.exists(repo.resolve("channels"))).isFalse();
    assertThat(Files.exists(repo.resolve("releases"))).isFalse();
  }

  @Test
  void anotherApplicationsIndexAndAnUnpublishedRolloutAreRefused() throws IOException {
    publisher(V1, archive("app-1.0.0.tar.gz", "1.0.0")).build().publish();
    Map<String, String> before = files();

    assertRefused(publisher(Version.parse("1.1.0"), archive("app-1.1.0.tar.gz", "1.1.0"))
        .application("other").build(), Reason.OTHER_APPLICATION, "belongs to application");
    assertRefused(ReleasePublisher.builder(repo, Version.parse("2.0.0")).key(key).rollout(50)
        .build(), Reason.NOT_PUBLISHED, "is not published");
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void theBuilderRefusesWhatCannotBePublished() {
    ReleasePublisher.Builder b = ReleasePublisher.builder(repo, V1);
    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing the artifact");
    assertThatThrownBy(() -> b.channel("../x")).hasMessageContaining("not a channel name");
    assertThatThrownBy(() -> b.rollout(101)).hasMessageContaining("percentage");
    assertThatThrownBy(() -> ReleasePublisher.builder(repo, V1).artifact(Path.of("a/app.zip"))
        .artifact(Path.of("b/app.zip")).build()).hasMessageContaining("two artifacts");
  }

  private static void assertRefused(ReleasePublisher publisher, Reason reason, String phrase) {
    assertThatThrownBy(publisher::publish).isInstanceOfSatisfying(PublishRefusedException.class,
        e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getMessage()).contains(phrase);
        });
  }
}
