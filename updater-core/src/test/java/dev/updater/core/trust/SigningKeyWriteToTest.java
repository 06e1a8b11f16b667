package dev.updater.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SigningKey#writeTo} writes a key pair as two new files, never over an existing one. */
class SigningKeyWriteToTest {
  @TempDir Path dir;

  @Test
  void writesASecretKeyForItsOwnerAndAPublicKeyThatVerifiesItsSignatures() throws IOException {
    SigningKey key = SigningKey.generate();
    Path secret = dir.resolve("updater.key");
    Path pub = dir.resolve("updater.pub");

    key.writeTo(secret, pub);

    assertThat(SigningKey.load(secret).keyId()).isEqualTo(key.keyId());
    assertThat(Files.readString(pub)).isEqualTo(key.publicKeyText());
    assertThat(TrustedKeys.read(pub).keyIds()).containsExactly(key.keyId());
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void writesNeitherFileWhenThePublicKeyExists() throws IOException {
    Path secret = dir.resolve("updater.key");
    Path pub = Files.writeString(dir.resolve("updater.pub"), "an older key");

    assertThatThrownBy(() -> SigningKey.generate().writeTo(secret, pub))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(secret).doesNotExist();
    assertThat(Files.readString(pub)).isEqualTo("an older key");
  }
}
