package dev.updater.core.trust;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.updater.core.trust.MinisignVerifier;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {

  private static final byte[] DATA = "index bytes".getBytes(UTF_8);

  @TempDir
  Path dir;

  private final SigningKey key = SigningKey.generate();

  @Test
  void shouldWriteAPublicKeyInMinisignFormat() {
    String[] lines = key.publicKeyText().split("\n");

    assertThat(lines).hasSize(2);
    assertThat(lines[0]).isEqualTo("untrusted comment: minisign public key " + key.keyId());
    assertThat(lines[1]).startsWith("RW").hasSize(56); // base64 of "Ed" + 40 bytes
    assertThat(TrustedKeys.parse(key.publicKeyText()).keyIds()).containsExactly(key.keyId());
  }

  @Test
  void shouldWriteAFourLineSignatureFile() {
    String[] lines = key.sign(DATA, "timestamp:1 file:stable.json").split("\n", -1);

    assertThat(lines).hasSize(5); // four lines, each ending in a newline
    assertThat(lines[0]).startsWith("untrusted comment: ");
    assertThat(lines[2]).isEqualTo("trusted comment: timestamp:1 file:stable.json");
    assertThat(lines[4]).isEmpty();
  }

  @Test
  void shouldGiveEachNewKeyItsOwnId() {
    assertThat(SigningKey.generate().keyId()).isNotEqualTo(key.keyId()).hasSize(16);
  }

  @Test
  void shouldRefuseATrustedCommentWithALineBreak() {
    assertThatThrownBy(() -> key.sign(DATA, "one\ntrusted comment: two"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one line");
  }

  @Test
  void shouldRefuseATrustedCommentLongerThanMinisignAllows() {
    assertThatThrownBy(() -> key.sign(DATA, "x".repeat(1025)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 1024");
  }

  @Test
  void shouldSaveAndLoadTheSecretKey() throws IOException {
    Path file = dir.resolve("updater.key");
    key.save(file);

    SigningKey loaded = SigningKey.load(file);

    assertThat(loaded.keyId()).isEqualTo(key.keyId());
    assertThat(loaded.publicKeyText()).isEqualTo(key.publicKeyText());
    assertThat(MinisignVerifier.create().verify(DATA, loaded.sign(DATA, "c"),
        TrustedKeys.parse(key.publicKeyText()))).isEqualTo("c");
  }

  @Test
  void shouldSaveTheSecretKeyReadableByItsOwnerOnly() throws IOException {
    assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
    Path file = dir.resolve("updater.key");

    key.save(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void shouldNeverOverwriteAnExistingFile() throws IOException {
    Path file = Files.writeString(dir.resolve("updater.key"), "the old key");

    assertThatThrownBy(() -> key.save(file)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("the old key");
  }

  @Test
  void shouldRefuseAMalformedMinisignSecretKey() throws IOException {
    Path file = Files.writeString(dir.resolve("minisign.key"), "untrusted comment: minisign "
        + "encrypted secret key\nRWRTY0Iy...\n");

    assertThatThrownBy(() -> SigningKey.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a usable secret key")
        .hasMessageContaining("not valid base64");
  }

  @Test
  void shouldRefuseToLoadAKeyWhoseHalvesDoNotBelongTogether() throws IOException {
    Path file = dir.resolve("updater.key");
    key.save(file);
    String[] lines = Files.readString(file).split("\n");
    byte[] decoded = java.util.Base64.getDecoder().decode(lines[1]);
    decoded[12] ^= 1; // a bit of the seed
    Path damaged = Files.writeString(dir.resolve("damaged.key"), lines[0] + "\n"
        + java.util.Base64.getEncoder().encodeToString(decoded) + "\n");

    assertThatThrownBy(() -> SigningKey.load(damaged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("do not belong together");
  }

  @Test
  void shouldNotRevealTheSecretInToString() throws IOException {
    Path file = dir.resolve("updater.key");
    key.save(file);
    String secretLine = Files.readString(file).split("\n")[1];

    assertThat(key.toString()).isEqualTo("SigningKey[" + key.keyId() + "]")
        .doesNotContain(secretLine);
  }

  /** Runs only where the minisign tool is installed (.ci/run installs it). */
  @Test
  void shouldProduceSignaturesTheMinisignToolAccepts() throws Exception {
    assumeTrue(onPath("minisign"), "minisign is not installed");
    Path data = Files.write(dir.resolve("stable.json"), DATA);
    Path pub = Files.writeString(dir.resolve("updater.pub"), key.publicKeyText());
    for (SigningKey.Mode mode : SigningKey.Mode.values()) {
      Files.writeString(dir.resolve("stable.json.minisig"), key.sign(DATA, "mode " + mode, mode));

      Process minisign = new ProcessBuilder("minisign", "-V", "-p", pub.toString(), "-m",
          data.toString()).redirectErrorStream(true).start();
      String output = new String(minisign.getInputStream().readAllBytes(), UTF_8);
      assertThat(minisign.waitFor(30, TimeUnit.SECONDS)).isTrue();

      assertThat(minisign.exitValue()).as(output).isZero();
      assertThat(output).contains("Trusted comment: mode " + mode);
    }
  }

  private static boolean onPath(String tool) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, tool))) {
        return true;
      }
    }
    return false;
  }
}
