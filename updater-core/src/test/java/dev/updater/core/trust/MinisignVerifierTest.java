package dev.updater.core.trust;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MinisignVerifierTest {

  // RFC 8032, section 7.1, TEST 1: the empty message.
  private static final byte[] RFC_SECRET = hex(
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final byte[] RFC_PUBLIC = hex(
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  private static final byte[] RFC_SIGNATURE = hex(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  /** Key id bytes as stored: 01 .. 08. minisign prints them little-endian: 0807060504030201. */
  private static final byte[] RFC_KEY_ID = {1, 2, 3, 4, 5, 6, 7, 8};

  private static final byte[] DATA = "{\"channel\":\"stable\"}\n".getBytes(UTF_8);

  private final MinisignVerifier verifier = MinisignVerifier.create();
  private final SigningKey key = SigningKey.generate();
  private final TrustedKeys trusted = TrustedKeys.parse(key.publicKeyText());

  // --- the byte layout, pinned by hand-built files --------------------------------------------

  @Test
  void shouldVerifyAHandBuiltPureSignatureFromTheRfc8032TestVector() throws Exception {
    String comment = "rfc 8032 test 1";
    String file = "untrusted comment: hand-built\n"
        + b64(bytes("Ed"), RFC_KEY_ID, RFC_SIGNATURE) + "\n"
        + "trusted comment: " + comment + "\n"
        + b64(rfcSign(concat(RFC_SIGNATURE, comment.getBytes(UTF_8)))) + "\n";

    assertThat(verifier.verify(new byte[0], file, rfcKeys())).isEqualTo(comment);
  }

  @Test
  void shouldVerifyAHandBuiltPrehashedSignatureOverTheBlake2bOfTheData() throws Exception {
    byte[] signature = rfcSign(hex(BLAKE2B_512_ABC));
    String file = "untrusted comment: hand-built\n"
        + b64(bytes("ED"), RFC_KEY_ID, signature) + "\n"
        + "trusted comment: prehashed\n"
        + b64(rfcSign(concat(signature, bytes("prehashed")))) + "\n";

    assertThat(verifier.verify(bytes("abc"), file, rfcKeys())).isEqualTo("prehashed");
  }

  @Test
  void shouldComputeBlake2b512AsSpecified() {
    assertThat(Minisign.blake2b512(bytes("abc"))).isEqualTo(hex(BLAKE2B_512_ABC));
  }

  @Test
  void shouldNameAKeyIdLittleEndianAsMinisignPrintsIt() throws Exception {
    String file = "untrusted comment: hand-built\n"
        + b64(bytes("Ed"), RFC_KEY_ID, RFC_SIGNATURE) + "\n"
        + "trusted comment: x\n"
        + b64(rfcSign(concat(RFC_SIGNATURE, bytes("x")))) + "\n";

    assertThatThrownBy(() -> verifier.verify(new byte[0], file, trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("signed by key 0807060504030201 which is not trusted");
  }

  // --- signatures made by the real minisign tool (minisign 0.11, see resources) ----------------

  @Test
  void shouldVerifyAPrehashedSignatureMadeByTheMinisignTool() throws IOException {
    assertThat(verifier.verify(resource("stable.json"), text("stable.json.minisig"),
        TrustedKeys.parse(text("minisign.pub")))).isEqualTo("signed by the real minisign tool");
  }

  @Test
  void shouldVerifyALegacySignatureMadeByTheMinisignTool() throws IOException {
    assertThat(verifier.verify(resource("stable.json"), text("stable.json.legacy.minisig"),
        TrustedKeys.parse(text("minisign.pub")))).isEqualTo("legacy mode");
  }

  @Test
  void shouldRefuseAMinisignSignatureWhenAnotherKeyIsTrusted() throws IOException {
    assertThatThrownBy(() -> verifier.verify(resource("stable.json"), text("stable.json.minisig"),
        TrustedKeys.parse(text("other.pub"))))
        .isInstanceOf(VerificationException.class)
        .hasMessage("signed by key 64F75A4F2A38586F which is not trusted (trusted: "
            + "32A3A59680910F89)");
  }

  // --- round trips ----------------------------------------------------------------------------

  @Test
  void shouldVerifyAPrehashedSignatureOfOurOwn() throws VerificationException {
    String file = key.sign(DATA, "serial 7");

    assertThat(Base64.getDecoder().decode(file.split("\n")[1])).startsWith(bytes("ED"));
    assertThat(verifier.verify(DATA, file, trusted)).isEqualTo("serial 7");
  }

  @Test
  void shouldVerifyAPureSignatureOfOurOwn() throws VerificationException {
    String file = key.sign(DATA, "serial 7", SigningKey.Mode.PURE);

    assertThat(Base64.getDecoder().decode(file.split("\n")[1])).startsWith(bytes("Ed"));
    assertThat(verifier.verify(DATA, file, trusted)).isEqualTo("serial 7");
  }

  @Test
  void shouldAcceptWindowsLineEndingsAndAMissingFinalNewline() throws VerificationException {
    String file = key.sign(DATA, "crlf").replace("\n", "\r\n").stripTrailing();

    assertThat(verifier.verify(DATA, file, trusted)).isEqualTo("crlf");
  }

  // --- tampering ------------------------------------------------------------------------------

  @Test
  void shouldRefuseDataWithOneByteFlipped() {
    String file = key.sign(DATA, "c");
    byte[] tampered = DATA.clone();
    tampered[3] ^= 1;

    assertThatThrownBy(() -> verifier.verify(tampered, file, trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("bad signature: ");
  }

  @Test
  void shouldRefuseATamperedTrustedComment() {
    String file = key.sign(DATA, "serial 7").replace("serial 7", "serial 9");

    assertThatThrownBy(() -> verifier.verify(DATA, file, trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("bad global signature: the trusted comment was changed");
  }

  @Test
  void shouldRefuseAPureSignatureLabelledPrehashed() {
    String file = relabel(key.sign(DATA, "c", SigningKey.Mode.PURE), "ED");

    assertThatThrownBy(() -> verifier.verify(DATA, file, trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("bad signature: the 'ED' (prehashed) signature");
  }

  @Test
  void shouldRefuseAPrehashedSignatureLabelledPure() {
    String file = relabel(key.sign(DATA, "c"), "Ed");

    assertThatThrownBy(() -> verifier.verify(DATA, file, trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("bad signature: ");
  }

  @Test
  void shouldRefuseASignatureOfZeroes() {
    String file = "untrusted comment: x\n"
        + b64(bytes("Ed"), keyIdBytes(key), new byte[64]) + "\n"
        + "trusted comment: x\n" + b64(new byte[64]) + "\n";

    assertThatThrownBy(() -> verifier.verify(DATA, file, trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("bad signature: ");
  }

  @Test
  void shouldRefuseASignatureByAKeyThatIsNotTrusted() {
    SigningKey stranger = SigningKey.generate();
    String file = stranger.sign(DATA, "c");

    assertThatThrownBy(() -> verifier.verify(DATA, file, trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessage("signed by key " + stranger.keyId() + " which is not trusted (trusted: "
            + key.keyId() + ")");
  }

  @Test
  void shouldAcceptASignatureByEitherOfTwoTrustedKeysDuringRotation()
      throws VerificationException {
    SigningKey next = SigningKey.generate();
    TrustedKeys both = TrustedKeys.parse(key.publicKeyText(), next.publicKeyText());

    assertThat(verifier.verify(DATA, key.sign(DATA, "old"), both)).isEqualTo("old");
    assertThat(verifier.verify(DATA, next.sign(DATA, "new"), both)).isEqualTo("new");
  }

  @Test
  void shouldRefuseASignatureFromAKeyRemovedAfterRotation() {
    SigningKey next = SigningKey.generate();
    TrustedKeys afterRotation = TrustedKeys.parse(next.publicKeyText());

    assertThatThrownBy(() -> verifier.verify(DATA, key.sign(DATA, "old"), afterRotation))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("which is not trusted");
  }

  // --- malformed files ------------------------------------------------------------------------

  static Stream<Arguments> malformedFiles() {
    SigningKey key = SigningKey.generate();
    String[] good = key.sign(DATA, "c").split("\n");
    byte[] line2 = Base64.getDecoder().decode(good[1]);
    return Stream.of(
        Arguments.of("empty", "", "it has 1 line(s), not 4"),
        Arguments.of("three lines", lines(good[0], good[1], good[2]), "it has 3 line(s), not 4"),
        Arguments.of("five lines", lines(good[0], good[1], good[2], good[3], ""),
            "it has 5 line(s), not 4"),
        Arguments.of("no untrusted comment prefix", lines("comment", good[1], good[2], good[3]),
            "line 1 does not start with 'untrusted comment: '"),
        Arguments.of("line 2 not base64", lines(good[0], "!!!!" + good[1].substring(4), good[2],
            good[3]), "line 2 is not valid base64"),
        Arguments.of("line 2 without padding", lines(good[0], good[1].replace("=", ""), good[2],
            good[3]), "line 2 is not valid base64"),
        Arguments.of("line 2 too short", lines(good[0], b64(Arrays.copyOf(line2, 73)), good[2],
            good[3]), "line 2 decodes to 73 bytes, not 74"),
        Arguments.of("line 2 too long", lines(good[0], b64(Arrays.copyOf(line2, 75)), good[2],
            good[3]), "line 2 decodes to 75 bytes, not 74"),
        Arguments.of("unknown algorithm", lines(good[0], relabelLine(good[1], "BL"), good[2],
            good[3]), "unknown signature algorithm 'BL'"),
        Arguments.of("unprintable algorithm", lines(good[0], relabelLine(good[1], "\0\1"),
            good[2], good[3]), "unknown signature algorithm 0x0001"),
        Arguments.of("no trusted comment prefix", lines(good[0], good[1], "comment: c", good[3]),
            "line 3 does not start with 'trusted comment: '"),
        Arguments.of("line 4 not base64", lines(good[0], good[1], good[2], "*"),
            "line 4 is not valid base64"),
        Arguments.of("line 4 wrong length", lines(good[0], good[1], good[2], b64(new byte[63])),
            "line 4 decodes to 63 bytes, not 64"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFiles")
  void shouldRefuseAMalformedSignatureFileSayingWhatIsWrong(String name, String file,
      String problem) {
    assertThatThrownBy(() -> verifier.verify(DATA, file, trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("malformed signature file: " + problem);
  }

  // --- failing closed -------------------------------------------------------------------------

  @Test
  void shouldRefuseWhenTheProviderThrowsARuntimeException() {
    MinisignVerifier broken = MinisignVerifier.using(providerWhoseVerify(
        () -> new IllegalStateException("provider bug")));

    assertThatThrownBy(() -> broken.verify(DATA, key.sign(DATA, "c"), trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("could not be checked, so it is refused")
        .hasRootCauseMessage("provider bug");
  }

  @Test
  void shouldRefuseWhenTheProviderThrowsASignatureException() {
    MinisignVerifier broken = MinisignVerifier.using(providerWhoseVerify(
        () -> new SignatureException("bad encoding")));

    assertThatThrownBy(() -> broken.verify(DATA, key.sign(DATA, "c"), trusted))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("could not be checked, so it is refused");
  }

  // ---------------------------------------------------------------------------------------------

  private static final String BLAKE2B_512_ABC = "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b7"
      + "4b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";

  /** A provider whose Ed25519 verify throws what {@code failure} supplies. */
  private static Provider providerWhoseVerify(java.util.function.Supplier<Exception> failure) {
    return new Provider("Failing", "1.0", "Ed25519 that fails") {
      private static final long serialVersionUID = 1L;

      {
        putService(new Service(this, "Signature", "Ed25519", "failing", null, null) {
          @Override
          public Object newInstance(Object parameter) {
            return new FailingSignature(failure);
          }
        });
      }
    };
  }

  private static final class FailingSignature extends SignatureSpi {
    private final java.util.function.Supplier<Exception> failure;

    FailingSignature(java.util.function.Supplier<Exception> failure) {
      this.failure = failure;
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) {}

    @Override
    protected void engineInitSign(PrivateKey privateKey) {}

    @Override
    protected void engineUpdate(byte b) {}

    @Override
    protected void engineUpdate(byte[] b, int off, int len) {}

    @Override
    protected byte[] engineSign() {
      throw new UnsupportedOperationException();
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
      Exception e = failure.get();
      if (e instanceof SignatureException s) {
        throw s;
      }
      throw (RuntimeException) e;
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {}

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
      return null;
    }
  }

  private static TrustedKeys rfcKeys() {
    return TrustedKeys.parse("untrusted comment: rfc 8032 test 1\n"
        + b64(bytes("Ed"), RFC_KEY_ID, RFC_PUBLIC) + "\n");
  }

  private static byte[] rfcSign(byte[] message) throws Exception {
    PrivateKey secret = KeyFactory.getInstance("Ed25519")
        .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, RFC_SECRET));
    Signature signature = Signature.getInstance("Ed25519");
    signature.initSign(secret);
    signature.update(message);
    return signature.sign();
  }

  private static byte[] keyIdBytes(SigningKey key) {
    byte[] decoded = Base64.getDecoder().decode(key.publicKeyText().split("\n")[1]);
    return Arrays.copyOfRange(decoded, 2, 10);
  }

  private static String relabel(String file, String tag) {
    String[] lines = file.split("\n");
    lines[1] = relabelLine(lines[1], tag);
    return String.join("\n", lines) + "\n";
  }

  private static String relabelLine(String line, String tag) {
    byte[] decoded = Base64.getDecoder().decode(line);
    decoded[0] = (byte) tag.charAt(0);
    decoded[1] = (byte) tag.charAt(1);
    return b64(decoded);
  }

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = MinisignVerifierTest.class.getResourceAsStream(
        "/dev/updater/core/minisign/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static String text(String name) throws IOException {
    return new String(resource(name), UTF_8);
  }

  private static String b64(byte[]... parts) {
    byte[] all = new byte[0];
    for (byte[] part : parts) {
      all = concat(all, part);
    }
    return Base64.getEncoder().encodeToString(all);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] bytes(String ascii) {
    return ascii.getBytes(UTF_8);
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
