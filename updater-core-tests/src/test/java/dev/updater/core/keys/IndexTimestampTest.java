package dev.updater.core.keys;

import static dev.updater.core.keys.KeyListFixture.NOW;
import static dev.updater.core.keys.KeyListFixture.offered;
import static dev.updater.core.keys.KeyListFixture.role;
import static dev.updater.core.keys.KeyListFixture.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.ReleaseIndex;
import dev.updater.core.TrustChain;
import dev.updater.core.Updater;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustRoot;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timestamps: when the newest key list names a timestamp key, an index needs a fresh timestamp by
 * it over its exact bytes for its channel. Expired, missing, by another key, for another index or
 * another channel: refused, nothing changed. A renewed timestamp of the same index is accepted.
 */
class IndexTimestampTest {
  @TempDir Path tmp;
  KeyListFixture f;
  final SigningKey rootKey = SigningKey.generate();
  final SigningKey release = SigningKey.generate();
  final SigningKey online = SigningKey.generate();
  TrustRoot trustRoot;
  Updater updater;

  @BeforeEach
  void keyListWithATimestampKey() throws IOException {
    f = new KeyListFixture(tmp);
    f.publish(KeyList.first(role(1, rootKey), role(1, release))
        .withTimestamp(Optional.of(role(1, online))), rootKey);
    f.index(release, 1, "1.0.0");
    trustRoot = root(1, rootKey);
    updater = f.updater(trustRoot);
  }

  void stamp(Instant expires) throws IOException {
    f.keys.timestamp("stable", online, expires, expires.minus(Duration.ofDays(2)));
  }

  @Test
  void shouldAcceptAFreshTimestampAndCarryItsExpiry() throws IOException {
    Instant expires = NOW.plus(Duration.ofHours(6));
    stamp(expires);
    assertThat(offered(updater)).isEqualTo("1.0.0");
    ReleaseIndex index = DirectoryReleaseSource.of(f.repo, trustRoot).index("stable");
    TrustChain chain = index.trustChain().orElseThrow();
    assertThat(chain.keyListVersion()).isEqualTo(1);
    assertThat(chain.keyListExpires()).isEmpty();
    assertThat(chain.timestampExpires()).contains(expires);
    assertThat(chain.sha256(1)).hasSize(64);
  }

  @Test
  void shouldRefuseAnExpiredTimestamp() throws IOException {
    stamp(NOW.minus(Duration.ofMinutes(1)));
    assertThat(f.refused(updater)).hasMessageContaining("has a timestamp that expired at")
        .hasMessageContaining("frozen index");
  }

  @Test
  void shouldRefuseAMissingTimestamp() throws IOException {
    assertThat(f.refused(updater)).hasMessageContaining("stable.json.timestamp.minisig is "
        + "missing").hasMessageContaining("updater timestamp");
  }

  @Test
  void shouldRefuseATimestampByAnotherKey() throws IOException {
    Files.writeString(f.file("channels/stable.json.timestamp.minisig"), release.sign(
        Files.readAllBytes(f.file("channels/stable.json")),
        "timestamp expires=" + NOW.plus(Duration.ofDays(1)) + " channel=stable"));
    assertThat(f.refused(updater)).hasMessageContaining("signed by key " + release.keyId()
        + " which is not trusted");
  }

  @Test
  void shouldRefuseATimestampOfAnotherIndex() throws IOException {
    stamp(NOW.plus(Duration.ofHours(6)));
    f.index(release, 2, "1.1.0"); // the old timestamp stays beside the new index
    assertThat(f.refused(updater)).hasMessageContaining("does not match the data");
  }

  @Test
  void shouldRefuseATimestampForAnotherChannel() throws IOException {
    Files.writeString(f.file("channels/stable.json.timestamp.minisig"), online.sign(
        Files.readAllBytes(f.file("channels/stable.json")),
        "timestamp expires=" + NOW.plus(Duration.ofDays(1)) + " channel=beta"));
    assertThat(f.refused(updater)).hasMessageContaining("is a timestamp for channel 'beta', not "
        + "'stable'");
  }

  @Test
  void shouldAcceptARenewedTimestampOfTheSameIndex() throws IOException {
    stamp(NOW.plus(Duration.ofMinutes(30)));
    assertThat(offered(updater)).isEqualTo("1.0.0");
    byte[] trust = f.trust();
    stamp(NOW.plus(Duration.ofHours(2)));
    assertThat(offered(updater)).isEqualTo("1.0.0");
    assertThat(f.trust()).isEqualTo(trust);
  }

  @Test
  void shouldLetTheTimestampSatisfyRequireExpiry() throws IOException {
    f.index(release, 2, "1.1.0", Optional.empty()); // the index itself never expires
    stamp(NOW.plus(Duration.ofHours(1)));
    Updater strict = Updaters.builder(f.home, DirectoryReleaseSource.of(f.repo, trustRoot))
        .checkCacheTtl(Duration.ZERO).requireExpiry(true).build();
    assertThat(offered(strict)).isEqualTo("1.1.0");
  }

  @Test
  void publisherShouldRefuseAWrongTimestampKeyOrAPastExpiry() throws IOException {
    assertThatThrownBy(() -> f.keys.timestamp("stable", release, NOW.plus(Duration.ofDays(1)),
        NOW)).hasMessageContaining("is not the timestamp key of keys/1.json");
    assertThatThrownBy(() -> f.keys.timestamp("stable", online, NOW.minus(Duration.ofDays(1)),
        NOW)).hasMessageContaining("which is not after now");
    assertThat(f.file("channels/stable.json.timestamp.minisig")).doesNotExist();
  }
}
