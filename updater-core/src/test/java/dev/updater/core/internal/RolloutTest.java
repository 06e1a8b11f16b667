package dev.updater.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buckets of staged rollouts, and the install id they are computed from. */
class RolloutTest {
  static final Version V = Version.parse("1.1.0");

  @TempDir Path tmp;

  static Release at(int percent) {
    return Release.of(V, "stable",
        new Artifact("app.tar.gz", 1, "a".repeat(64), "releases/1.1.0/app.tar.gz"))
        .withRollout(percent);
  }

  static List<String> randomIds(int n) {
    return Stream.generate(() -> UUID.randomUUID().toString()).limit(n).toList();
  }

  long admitted(List<String> ids, int percent) {
    return ids.stream().filter(id -> Rollout.bucket(id, V) < percent).count();
  }

  @Test
  void shouldAdmitBetweenFiveAndFifteenPercentOfAThousandRandomInstallsToATenPercentRollout() {
    List<String> ids = randomIds(1000);

    assertThat(admitted(ids, 10)).isBetween(50L, 150L);
  }

  @Test
  void shouldAdmitNoInstallAtZeroAndEveryInstallAtOneHundredPercent() {
    List<String> ids = randomIds(1000);

    assertThat(admitted(ids, 0)).isZero();
    assertThat(admitted(ids, 100)).isEqualTo(1000);
  }

  @Test
  void shouldOnlyAddInstallsWhenTheRolloutIsRaised() {
    List<String> ids = randomIds(1000);

    assertThat(IntStream.rangeClosed(0, 100).mapToLong(p -> admitted(ids, p)))
        .isSorted();
    ids.forEach(id -> assertThat(Rollout.bucket(id, V)).isBetween(0, 99));
  }

  @Test
  void shouldGiveTheSameInstallTheSameBucketEveryTime() {
    String id = UUID.randomUUID().toString();

    assertThat(IntStream.range(0, 20).map(i -> Rollout.bucket(id, V)).distinct().count())
        .isEqualTo(1);
  }

  @Test
  void shouldComputeTheBucketFromTheFirstEightBytesOfTheSha256OfIdColonVersion() {
    String id = "install-a";
    byte[] hash = sha256(id + ":1.1.0");
    long first8 = java.nio.ByteBuffer.wrap(hash, 0, 8).getLong();

    assertThat(Rollout.bucket(id, V)).isEqualTo((int) Long.remainderUnsigned(first8, 100));
    assertThat(Rollout.bucket(id, V))
        .as("the version is part of the hash: this id lands elsewhere for 1.2.0")
        .isNotEqualTo(Rollout.bucket(id, Version.parse("1.2.0")));
  }

  @Test
  void shouldCreateTheInstallIdOnceAndReuseIt() throws IOException {
    Path file = tmp.resolve(".updater/install-id");

    String first = new Rollout(file).installId();
    byte[] written = Files.readAllBytes(file);
    String again = new Rollout(file).installId();

    assertThat(again).isEqualTo(first);
    assertThat(Files.readAllBytes(file)).isEqualTo(written);
    assertThat(first).matches("[0-9a-f-]{36}");
    try (Stream<Path> left = Files.list(file.getParent())) {
      assertThat(left).containsExactly(file);
    }
  }

  @Test
  void shouldNotCreateAnInstallIdForReleasesAtZeroOrOneHundredPercent() {
    Path file = tmp.resolve(".updater/install-id");
    Rollout rollout = new Rollout(file);

    assertThat(rollout.admits(at(100))).isTrue();
    assertThat(rollout.admits(at(0))).isFalse();
    assertThat(file).doesNotExist();
  }

  @Test
  void shouldUseAnInstallIdTheHostProvisioned() throws IOException {
    Path file = Files.createDirectories(tmp.resolve(".updater")).resolve("install-id");
    Files.writeString(file, "machine-4711\n");
    Rollout rollout = new Rollout(file);

    assertThat(rollout.installId()).isEqualTo("machine-4711");
    int bucket = Rollout.bucket("machine-4711", V);
    assertThat(rollout.admits(at(bucket))).isFalse();
    assertThat(rollout.admits(at(bucket + 1))).isTrue();
  }

  @Test
  void shouldRefuseAnInvalidInstallIdInsteadOfReplacingIt() throws IOException {
    Path file = Files.createDirectories(tmp.resolve(".updater")).resolve("install-id");
    Files.writeString(file, "no spaces allowed\n");

    UpdateException e = catchThrowableOfType(() -> new Rollout(file).installId(),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.IO_ERROR);
    assertThat(e.getMessage()).contains("install-id is not valid").contains("delete it");
    assertThat(Files.readString(file)).isEqualTo("no spaces allowed\n");
  }

  private static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
