package dev.updater.snippets.pages;

import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Java blocks of docs/signing.md. */
final class SigningSnippets {
  Path repo;
  SigningKey key;
  char[] password;

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
}
