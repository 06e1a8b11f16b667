package dev.updater.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.Artifact;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.repository.RepositoryKeys;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A repository with signed key lists on the real disk, and an install that follows them from a
 * trust root through the public API ({@link DirectoryReleaseSource#of(Path, TrustRoot)}, {@link
 * Updater#check()}). Test use only; not thread-safe.
 */
final class KeyListFixture {
  static final Instant NOW = Instant.now();

  final Path repo;
  final Path home;
  final RepositoryKeys keys;

  KeyListFixture(Path tmp) {
    this.repo = tmp.resolve("repo");
    this.home = tmp.resolve("home");
    this.keys = RepositoryKeys.at(repo);
  }

  static KeyList.Role role(int threshold, SigningKey... keys) {
    return new KeyList.Role(threshold, Stream.of(keys).map(SigningKey::publicKeyText).toList());
  }

  static TrustRoot root(int threshold, SigningKey... keys) {
    return TrustRoot.of(TrustedKeys.parse(Stream.of(keys).map(SigningKey::publicKeyText)
        .toList()), threshold);
  }

  /** Publishes {@code list} signed by {@code signers}. */
  void publish(KeyList list, SigningKey... signers) throws IOException {
    keys.publish(list, List.of(signers));
  }

  /** Writes the index of {@code stable} at {@code serial} offering {@code version}, by {@code key}. */
  void index(SigningKey key, long serial, String version) throws IOException {
    index(key, serial, version, Optional.of(NOW.plus(Duration.ofDays(30))));
  }

  /** The same with {@code expires} as the index's expiry. */
  void index(SigningKey key, long serial, String version, Optional<Instant> expires)
      throws IOException {
    Artifact artifact = new Artifact("app.tar.gz", 10, "0".repeat(64),
        "releases/" + version + "/app.tar.gz");
    RepositoryWriter.signed(repo, key).writeIndex(new ReleaseIndex("app", "stable", serial,
        expires,
        List.of(Release.of(Version.parse(version), "stable", artifact))));
  }

  Updater updater(TrustRoot root) {
    return updater(DirectoryReleaseSource.of(repo, root));
  }

  Updater updater(ReleaseSource source) {
    return Updaters.builder(home, source).checkCacheTtl(Duration.ZERO).build();
  }

  /** Checks and returns the version offered. */
  static String offered(Updater updater) {
    return updater.check(true).map(r -> r.version().toString()).orElse("none");
  }

  /** The install's trust state, byte for byte (empty when there is none). */
  byte[] trust() throws IOException {
    Path file = Layout.of(home).state().resolve("trust.json");
    return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
  }

  /** The check's refusal, asserting that it changed nothing in the trust state. */
  UpdateException refused(Updater updater) throws IOException {
    byte[] before = trust();
    UpdateException e = catchThrowableOfType(() -> updater.check(true), UpdateException.class);
    assertThat(e).as("the check must be refused").isNotNull();
    assertThat(e.reason()).isEqualTo(UpdateException.Reason.VERIFICATION_FAILED);
    assertThat(trust()).as("trust.json is unchanged").isEqualTo(before);
    assertThat(Layout.of(home).current()).doesNotExist();
    return e;
  }

  Path file(String relative) {
    return repo.resolve(relative);
  }
}
