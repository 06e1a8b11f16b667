package dev.updater.core.trust;

import dev.updater.core.internal.format.IndexReader;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.spi.VerificationException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a minisign signature file over some bytes. Not API: {@link IndexReader} uses it.
 *
 * <p>The file has four lines: {@code untrusted comment: ...}; the base64 of the algorithm
 * ({@code Ed} or {@code ED}), key id and signature; {@code trusted comment: <text>}; the base64 of
 * the global signature, Ed25519 over the signature's 64 bytes followed by the comment's UTF-8
 * bytes. The file is parsed completely and strictly first (line count, prefixes, canonical base64,
 * lengths, a known algorithm); then the key id must name a trusted key; then the signature must
 * match the data ({@code Ed}) or the BLAKE2b-512 of the data ({@code ED}); then the global
 * signature must match, so the trusted comment cannot have been altered. Only when all of that
 * holds is the trusted comment returned. Every failure, including an exception of any kind from the
 * cryptographic provider, is a {@link VerificationException}: the verifier fails closed.
 *
 * <pre>{@code
 * String comment = MinisignVerifier.create().verify(indexBytes, signatureText, trustedKeys);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
final class MinisignVerifier {

  private final Optional<Provider> provider;

  private MinisignVerifier(Optional<Provider> provider) {
    this.provider = provider;
  }

  /** A verifier using the JDK's Ed25519. */
  public static MinisignVerifier create() {
    return new MinisignVerifier(Optional.empty());
  }

  /** A verifier taking Ed25519 from {@code provider} (tests use a failing one). */
  public static MinisignVerifier using(Provider provider) {
    return new MinisignVerifier(Optional.of(Objects.requireNonNull(provider, "provider")));
  }

  /**
   * Checks that {@code signatureText} is a valid signature of {@code data} by one of {@code keys}.
   *
   * @return the trusted comment, verified
   * @throws VerificationException when the signature file is malformed, names a key that is not
   *     trusted, does not match the data, or its trusted comment was changed, or the check itself
   *     failed
   */
  public String verify(byte[] data, String signatureText, TrustedKeys keys)
      throws VerificationException {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(signatureText, "signatureText");
    Objects.requireNonNull(keys, "keys");
    String[] lines = Minisign.lines(signatureText);
    if (lines.length != 4) {
      throw malformed("it has " + lines.length + " line(s), not 4 (untrusted comment, signature, "
          + "trusted comment, global signature)");
    }
    if (!lines[0].startsWith(Minisign.UNTRUSTED_PREFIX)) {
      throw malformed("line 1 does not start with '" + Minisign.UNTRUSTED_PREFIX + "'");
    }
    byte[] line2 = decode(lines[1], 2, Minisign.SIGNATURE_LINE_BYTES,
        "algorithm (2), key id (8) and signature (64)");
    boolean prehashed;
    if (Minisign.hasTag(line2, Minisign.PREHASHED)) {
      prehashed = true;
    } else if (Minisign.hasTag(line2, Minisign.PURE)) {
      prehashed = false;
    } else {
      throw malformed("unknown signature algorithm " + Minisign.tagText(line2)
          + "; known: 'Ed' (Ed25519) and 'ED' (Ed25519 over BLAKE2b-512)");
    }
    if (!lines[2].startsWith(Minisign.TRUSTED_PREFIX)) {
      throw malformed("line 3 does not start with '" + Minisign.TRUSTED_PREFIX + "'");
    }
    byte[] comment = lines[2].substring(Minisign.TRUSTED_PREFIX.length())
        .getBytes(StandardCharsets.UTF_8);
    if (comment.length > Minisign.MAX_COMMENT_BYTES) {
      throw malformed("the trusted comment is " + comment.length + " bytes, more than "
          + Minisign.MAX_COMMENT_BYTES);
    }
    byte[] global = decode(lines[3], 4, Minisign.SIGNATURE_BYTES, "global signature (64)");

    String keyId = Minisign.keyIdText(line2, 2);
    PublicKey key = keys.find(keyId).orElseThrow(() -> new VerificationException(
        "signed by key " + keyId + " which is not trusted (trusted: "
            + String.join(", ", keys.keyIds()) + ")"));
    byte[] signature = Arrays.copyOfRange(line2, 2 + Minisign.KEY_ID_BYTES, line2.length);

    byte[] message = prehashed ? blake2b(data) : data;
    if (!ed25519(key, message, signature)) {
      throw new VerificationException("bad signature: the " + (prehashed ? "'ED' (prehashed)"
          : "'Ed'") + " signature by key " + keyId + " does not match the data");
    }
    if (!ed25519(key, Minisign.concat(signature, comment), global)) {
      throw new VerificationException("bad global signature: the trusted comment was changed "
          + "after signing with key " + keyId);
    }
    return new String(comment, StandardCharsets.UTF_8);
  }

  private boolean ed25519(PublicKey key, byte[] message, byte[] signature)
      throws VerificationException {
    try {
      Signature verifier = provider.isPresent()
          ? Signature.getInstance("Ed25519", provider.get())
          : Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new VerificationException("the signature could not be checked, so it is refused: "
          + e, e);
    }
  }

  private static byte[] blake2b(byte[] data) throws VerificationException {
    try {
      return Minisign.blake2b512(data);
    } catch (RuntimeException e) {
      throw new VerificationException("the data could not be hashed with BLAKE2b, so the "
          + "signature is refused: " + e, e);
    }
  }

  private static byte[] decode(String line, int number, int length, String layout)
      throws VerificationException {
    byte[] decoded;
    try {
      decoded = Minisign.base64(line);
    } catch (IllegalArgumentException e) {
      throw malformed("line " + number + " is not valid base64 (" + e.getMessage() + ")");
    }
    if (decoded.length != length) {
      throw malformed("line " + number + " decodes to " + decoded.length + " bytes, not " + length
          + ": " + layout);
    }
    return decoded;
  }

  private static VerificationException malformed(String why) {
    return new VerificationException("malformed signature file: " + why);
  }
}
