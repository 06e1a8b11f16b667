package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.repository.RepositoryKeys;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real installs from a repository with key lists: 1.0.0 signed by key A is installed; the root
 * rotates to key B; 1.1.0 signed by A alone is refused by the host's check-and-install, with the
 * live release, the journal, every release and shared file and {@code trust.json} exactly as they
 * were; signed by B it installs, with the same configuration throughout.
 */
class KeyRevocationInstallTest {
  @TempDir Path tmp;

  @Test
  void aRevokedKeyCannotInstallAndChangesNothingUntilTheNewKeySigns() throws IOException {
    SigningKey root = SigningKey.generate();
    SigningKey a = SigningKey.generate();
    SigningKey b = SigningKey.generate();
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    RepositoryKeys keys = RepositoryKeys.at(repo.root);
    KeyList first = KeyList.first(KeyList.Role.of(1, root.publicKeyText()),
        KeyList.Role.of(1, a.publicKeyText()));
    keys.publish(first, List.of(root));
    repo.publish(v("1.0.0"));
    keys.signIndex("stable", a);
    Path home = tmp.resolve("home");
    Updater updater = Updaters.builder(home, DirectoryReleaseSource.of(repo.root,
        TrustRoot.of(TrustedKeys.parse(root.publicKeyText()), 1)))
        .checkCacheTtl(Duration.ZERO).build();
    updater.install(updater.check().orElseThrow());
    assertThat(updater.status().installed()).contains(v("1.0.0"));

    keys.publish(first.next(first.root(), KeyList.Role.of(1, b.publicKeyText())), List.of(root));
    repo.publish(v("1.1.0"));
    // the revoked key signs the new index (RepositoryKeys itself refuses to: not a publishing key)
    Path index = repo.root.resolve("channels/stable.json");
    Files.writeString(index.resolveSibling("stable.json.minisig"),
        a.sign(Files.readAllBytes(index), "channel stable serial 2"));
    HomeSnapshot before = HomeSnapshot.of(Layout.of(home));
    Path trust = Layout.of(home).state().resolve("trust.json");
    byte[] trustBefore = Files.readAllBytes(trust);

    UpdateException refused = catchThrowableOfType(
        () -> updater.install(updater.check().orElseThrow()), UpdateException.class);
    assertThat(refused.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(refused).hasMessageContaining("signed by 0 of the publishing keys [" + b.keyId()
        + "] of keys/2.json");
    assertThat(HomeSnapshot.of(Layout.of(home))).isEqualTo(before);
    assertThat(Files.readAllBytes(trust)).isEqualTo(trustBefore);

    keys.signIndex("stable", b);
    updater.install(updater.check().orElseThrow());
    assertThat(updater.status().installed()).contains(v("1.1.0"));
    assertThat(Files.readString(trust)).contains("\"keyList\" : 2");
  }
}
