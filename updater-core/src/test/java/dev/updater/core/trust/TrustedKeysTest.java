package dev.updater.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrustedKeysTest {

  /** A key made by {@code minisign -G} (0.11). */
  private static final String MINISIGN_PUB = "untrusted comment: minisign public key "
      + "64F75A4F2A38586F\nRWRvWDgqT1r3ZAch+SBEr6AY4ElKo58E/KQ/J62cC/u0ofsKn6wYscv/\n";
  private static final String MINISIGN_LINE =
      "RWRvWDgqT1r3ZAch+SBEr6AY4ElKo58E/KQ/J62cC/u0ofsKn6wYscv/";

  @TempDir
  Path dir;

  @Test
  void shouldReadTheKeyIdOfAMinisignPublicKeyFileAsMinisignPrintsIt() {
    assertThat(TrustedKeys.parse(MINISIGN_PUB).keyIds()).containsExactly("64F75A4F2A38586F");
  }

  @Test
  void shouldAcceptTheBareBase64LineAsMinisignDashCapitalPDoes() {
    TrustedKeys keys = TrustedKeys.parse(MINISIGN_LINE);

    assertThat(keys.keyIds()).containsExactly("64F75A4F2A38586F");
    assertThat(keys.find("64f75a4f2a38586f")).isPresent();
    assertThat(keys.find("0000000000000000")).isEmpty();
  }

  @Test
  void shouldAcceptWindowsLineEndings() {
    assertThat(TrustedKeys.parse(MINISIGN_PUB.replace("\n", "\r\n")).keyIds())
        .containsExactly("64F75A4F2A38586F");
  }

  @Test
  void shouldTrustSeveralKeysForRotation() {
    SigningKey next = SigningKey.generate();

    assertThat(TrustedKeys.parse(MINISIGN_PUB, next.publicKeyText()).keyIds())
        .containsExactlyInAnyOrder("64F75A4F2A38586F", next.keyId());
  }

  @Test
  void shouldReadKeysFromFiles() throws IOException {
    Path file = Files.writeString(dir.resolve("minisign.pub"), MINISIGN_PUB);

    assertThat(TrustedKeys.read(file).keyIds()).containsExactly("64F75A4F2A38586F");
  }

  @Test
  void shouldRejectAFileTooLargeToBeAKey() throws IOException {
    Path file = Files.write(dir.resolve("huge.pub"), new byte[5000]);

    assertThatThrownBy(() -> TrustedKeys.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is larger than 4096 bytes");
  }

  @Test
  void shouldRejectDuplicateKeyIds() {
    SigningKey key = SigningKey.generate();

    assertThatThrownBy(() -> TrustedKeys.parse(key.publicKeyText(), key.publicKeyText()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key id " + key.keyId() + " is given twice; the key ids of trusted keys "
            + "must be unique");
  }

  @Test
  void shouldRejectTheSameKeyUnderTwoIds() {
    byte[] decoded = Base64.getDecoder().decode(MINISIGN_LINE);
    decoded[2] ^= 1;
    String sameKeyOtherId = Base64.getEncoder().encodeToString(decoded);

    assertThatThrownBy(() -> TrustedKeys.parse(MINISIGN_LINE, sameKeyOtherId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the same public key is given under the key ids");
  }

  @Test
  void shouldRejectAnEmptyList() {
    assertThatThrownBy(() -> TrustedKeys.parse(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one trusted public key is needed");
  }

  static Stream<Arguments> malformedKeys() {
    byte[] decoded = Base64.getDecoder().decode(MINISIGN_LINE);
    byte[] prehashedTag = decoded.clone();
    prehashedTag[1] = 'D';
    return Stream.of(
        Arguments.of("three lines", "a\nb\nc", "it has 3 lines"),
        Arguments.of("empty", "", "it is empty"),
        Arguments.of("blank", " \n ", "it is empty"),
        Arguments.of("comment without prefix", "comment\n" + MINISIGN_LINE,
            "its first line must start with 'untrusted comment: '"),
        Arguments.of("not base64", MINISIGN_LINE.replace('/', '*'),
            "its key line is not valid base64"),
        Arguments.of("a space inside", MINISIGN_LINE.substring(0, 20) + " "
            + MINISIGN_LINE.substring(20), "its key line is not valid base64"),
        Arguments.of("too short", b64(Arrays.copyOf(decoded, 41)),
            "its key line decodes to 41 bytes, not 42"),
        Arguments.of("a signature line instead of a key", b64(Arrays.copyOf(decoded, 74)),
            "its key line decodes to 74 bytes, not 42"),
        Arguments.of("prehashed tag", b64(prehashedTag), "its algorithm is 'ED', not 'Ed'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedKeys")
  void shouldRejectAMalformedKeySayingWhichAndWhy(String name, String key, String problem) {
    assertThatThrownBy(() -> TrustedKeys.parse(MINISIGN_PUB, key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("trusted key #2 is not a minisign public key: " + problem);
  }

  @Test
  void shouldRejectKeyBytesThatAreNotACurvePoint() {
    byte[] decoded = Base64.getDecoder().decode(MINISIGN_LINE);
    Arrays.fill(decoded, 10, 42, (byte) 0xff);
    decoded[41] = 0x7f; // y = 2^255 - 1 is not below p

    assertThatThrownBy(() -> TrustedKeys.parse(Base64.getEncoder().encodeToString(decoded)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("its 32 key bytes are not an Ed25519 public key");
  }

  @Test
  void shouldNameItsKeyIdsOnly() {
    assertThat(TrustedKeys.parse(MINISIGN_PUB)).hasToString("TrustedKeys[64F75A4F2A38586F]");
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
