package dev.updater.snippets.pages;

import dev.updater.core.repository.RepositoryKeys;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The Java blocks of docs/signing.md. */
final class SigningSnippets {
  Path repo;
  SigningKey key;
  char[] password;
  SigningKey root;
  SigningKey release;
  SigningKey newRelease;
  SigningKey online;
  KeyList newest;

  void with_the_library() throws Exception {
    // tag::with-the-library[]
    SigningKey key = SigningKey.generate();
    key.save(Path.of("keys/updater.key"));                       // secret: 0600, never overwritten
    Files.writeString(Path.of("keys/updater.pub"), key.publicKeyText());
    // end::with-the-library[]
  }

  void writes_channels_stable_json() throws Exception {
    // tag::writes-channels-stable-json[]
    byte[] index = Files.readAllBytes(repo.resolve("channels/stable.json"));
    Files.writeString(repo.resolve("channels/stable.json.minisig"),
        key.sign(index, "myapp stable serial 8"));                    // SigningKey.Mode.PREHASHED
    // key.sign(index, comment, SigningKey.Mode.PURE) for the "Ed" mode
    // end::writes-channels-stable-json[]
  }

  void the_secret_key_file() throws Exception {
    // tag::encrypted-key[]
    SigningKey key = SigningKey.generate();
    key.writeTo(Path.of("keys/updater.key"), Path.of("keys/updater.pub"), password);   // char[]
    SigningKey again = SigningKey.load(Path.of("keys/updater.key"), password);
    boolean ask = SigningKey.isEncrypted(Path.of("keys/updater.key"));
    // end::encrypted-key[]
  }

  void trusting_keys() throws Exception {
    // tag::trusting-keys[]
    TrustedKeys keys = TrustedKeys.read(Path.of("/etc/myapp/updater.pub"));
    ReleaseSource source = DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp"), keys);
    // end::trusting-keys[]
  }

  void trust_root() throws Exception {
    // tag::trust-root[]
    TrustRoot root = TrustRoot.read(1, Path.of("/etc/myapp/root.pub"));   // 1 of the root keys
    ReleaseSource source = DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp"), root);
    // end::trust-root[]
  }

  void key_lists() throws Exception {
    // tag::key-lists[]
    RepositoryKeys keys = RepositoryKeys.at(repo);
    KeyList first = KeyList.first(KeyList.Role.of(1, root.publicKeyText()),
        KeyList.Role.of(1, release.publicKeyText()));
    keys.publish(first, List.of(root));                                   // keys/1.json
    keys.publish(first.next(first.root(), KeyList.Role.of(1, newRelease.publicKeyText())),
        List.of(root));                                                   // keys/2.json: rotated
    // end::key-lists[]
  }

  void timestamps() throws Exception {
    // tag::timestamps[]
    KeyList next = newest.next(newest.root(), newest.publishing())
        .withTimestamp(Optional.of(KeyList.Role.of(1, online.publicKeyText())));
    RepositoryKeys.at(repo).publish(next, List.of(root));          // names the online key
    Instant now = Instant.now();                                    // then, every few hours:
    RepositoryKeys.at(repo).timestamp("stable", online, now.plus(Duration.ofDays(1)), now);
    // end::timestamps[]
  }
}
