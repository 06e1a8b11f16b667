package dev.updater.core.keys;

import static dev.updater.core.keys.KeyListFixture.offered;
import static dev.updater.core.keys.KeyListFixture.role;
import static dev.updater.core.keys.KeyListFixture.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.TrustChain;
import dev.updater.core.Updater;
import dev.updater.core.repository.RepositoryReader;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thresholds: an index needs 2 of 3 publishing keys, a key list 2 of 3 root keys; a key counts
 * once however many of its signatures are served, and a signature copied under another key's name
 * counts for nothing. The publisher's side refuses, writing nothing, what installs would refuse.
 */
class KeyThresholdTest {
  @TempDir Path tmp;
  KeyListFixture f;
  final SigningKey r1 = SigningKey.generate();
  final SigningKey r2 = SigningKey.generate();
  final SigningKey r3 = SigningKey.generate();
  final SigningKey a = SigningKey.generate();
  final SigningKey b = SigningKey.generate();
  final SigningKey c = SigningKey.generate();
  Updater updater;

  @BeforeEach
  void twoOfThreeEverywhere() throws IOException {
    f = new KeyListFixture(tmp);
    f.publish(KeyList.first(role(2, r1, r2, r3), role(2, a, b, c)), r1, r3);
    updater = f.updater(root(2, r1, r2, r3));
  }

  @Test
  void shouldAcceptAnIndexSignedByTwoOfThreePublishingKeys() throws IOException {
    f.index(a, 1, "1.0.0");
    f.keys.signIndex("stable", c);
    assertThat(offered(updater)).isEqualTo("1.0.0");
  }

  @Test
  void aPublisherVerifiesItsRepositoryAsAnInstallWould() throws IOException {
    f.index(a, 1, "1.0.0");
    RepositoryReader reader = RepositoryReader.rooted(f.repo, root(2, r1, r2, r3));
    assertThatThrownBy(() -> reader.index("stable"))
        .hasMessageContaining("is signed by 1 of the publishing keys");
    f.keys.signIndex("stable", b);
    assertThat(reader.index("stable").trustChain()).map(TrustChain::keyListVersion).contains(1);
  }

  @Test
  void shouldRefuseAnIndexSignedByOneOfThreePublishingKeys() throws IOException {
    f.index(a, 1, "1.0.0");
    assertThat(f.refused(updater)).hasMessageContaining("is signed by 1 of the publishing keys")
        .hasMessageContaining("2 are needed");
  }

  @Test
  void shouldCountTwoSignaturesByTheSameKeyOnce() throws IOException {
    f.index(a, 1, "1.0.0");
    f.keys.signIndex("stable", a); // stable.json.minisig and stable.json.<A>.minisig, both by a
    assertThat(f.file(KeyList.signaturePath("channels/stable.json", a.keyId()))).exists();
    assertThat(f.refused(updater)).hasMessageContaining("is signed by 1 of the publishing keys");
  }

  @Test
  void shouldNotCountASignatureCopiedUnderAnotherKeysName() throws IOException {
    f.index(a, 1, "1.0.0");
    Files.copy(f.file("channels/stable.json.minisig"),
        f.file(KeyList.signaturePath("channels/stable.json", b.keyId())));
    assertThat(f.refused(updater)).hasMessageContaining("is signed by 1 of the publishing keys")
        .hasMessageContaining("stable.json." + b.keyId() + ".minisig: signed by key "
            + a.keyId() + " which is not trusted");
  }

  @Test
  void shouldRefuseAStaleSecondSignatureAfterANewIndex() throws IOException {
    f.index(a, 1, "1.0.0");
    f.keys.signIndex("stable", b);
    assertThat(offered(updater)).isEqualTo("1.0.0");
    f.index(a, 2, "1.1.0"); // b has not signed serial 2 yet
    assertThat(f.refused(updater)).hasMessageContaining("does not match the data");
    f.keys.signIndex("stable", b);
    assertThat(offered(updater)).isEqualTo("1.1.0");
  }

  @Test
  void shouldRefuseAKeyListSignedByOneOfThreeRootKeys() throws IOException {
    f.index(a, 1, "1.0.0");
    f.keys.signIndex("stable", b);
    KeyList next = KeyList.first(role(2, r1, r2, r3), role(2, a, b, c))
        .next(role(2, r1, r2, r3), role(1, c));
    Files.write(f.file("keys/2.json"), next.toJson());
    Files.writeString(f.file(KeyList.signaturePath("keys/2.json", r2.keyId())),
        r2.sign(next.toJson(), "key list 2"));
    assertThat(f.refused(updater)).hasMessageContaining("keys/2.json is signed by 1 of the root "
        + "keys of keys/1.json").hasMessageContaining("2 are needed");
  }

  @Test
  void publisherShouldRefuseTooFewRootSignaturesAndWriteNothing() throws IOException {
    KeyList next = KeyList.first(role(2, r1, r2, r3), role(2, a, b, c))
        .next(role(2, r1, r2, r3), role(1, c));
    assertThatThrownBy(() -> f.keys.publish(next, List.of(r1, r1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the signing keys hold 1 of the root keys of keys/1.json")
        .hasMessageContaining("nothing was written");
    assertThat(f.file("keys/2.json")).doesNotExist();
    assertThat(f.file(KeyList.signaturePath("keys/2.json", r1.keyId()))).doesNotExist();
  }

  @Test
  void publisherShouldRefuseASignerThatIsNoRootKeyAndAVersionThatIsNotNext() throws IOException {
    KeyList next = KeyList.first(role(2, r1, r2, r3), role(2, a, b, c))
        .next(role(2, r1, r2, r3), role(1, c));
    assertThatThrownBy(() -> f.keys.publish(next, List.of(r1, a)))
        .hasMessageContaining("key " + a.keyId() + " is not a root key");
    assertThatThrownBy(() -> f.keys.publish(next.next(next.root(), next.publishing()),
        List.of(r1, r2))).hasMessageContaining("is version 3, but the next one");
    assertThatThrownBy(() -> f.keys.signIndex("stable", r1))
        .hasMessageContaining("channel 'stable' has no index");
    f.index(a, 1, "1.0.0");
    assertThatThrownBy(() -> f.keys.signIndex("stable", r1))
        .hasMessageContaining("is not a publishing key of keys/1.json");
    assertThat(f.file("keys/2.json")).doesNotExist();
    try (var files = Files.list(f.file("channels"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("stable.json", "stable.json.minisig");
    }
  }

  @Test
  void shouldRefuseThresholdsOutsideTheKeys() {
    assertThatThrownBy(() -> role(3, a, b)).hasMessageContaining("between 1 and the number of "
        + "keys (2), was 3");
    assertThatThrownBy(() -> role(1, a, a)).hasMessageContaining("is given twice");
    assertThatThrownBy(() -> root(0, a)).hasMessageContaining("between 1 and the number of root "
        + "keys (1), was 0");
    assertThatThrownBy(() -> KeyList.first(role(1, r1), role(1, a))
        .withTimestamp(Optional.of(role(2, b, c))))
        .hasMessageContaining("the timestamp role's threshold must be 1");
  }
}
