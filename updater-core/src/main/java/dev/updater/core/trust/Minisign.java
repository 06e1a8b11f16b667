package dev.updater.core.trust;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The byte layout of minisign public keys and signatures, and the Ed25519 and BLAKE2b primitives
 * they rest on. Not API: {@link dev.updater.core.trust.TrustedKeys}, {@link dev.updater.core.trust.SigningKey}
 * and {@link MinisignVerifier} share it.
 *
 * <p>A public key is {@code "Ed"} + key id (8 bytes) + Ed25519 public key (32 bytes). A signature
 * line is an algorithm ({@code "Ed"}: Ed25519 over the data; {@code "ED"}: Ed25519 over the
 * BLAKE2b-512 of the data) + key id (8 bytes) + signature (64 bytes). Key ids are written in text
 * as minisign prints them: the 8 bytes read as a little-endian number, in 16 upper-case hex digits.
 *
 * <pre>{@code
 * byte[] decoded = Minisign.base64(line); // strict and canonical
 * String id = Minisign.keyIdText(decoded, 2);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
final class Minisign {

  /** The prefix of the first line of a key or signature file. */
  public static final String UNTRUSTED_PREFIX = "untrusted comment: ";
  /** The prefix of the third line of a signature file. */
  public static final String TRUSTED_PREFIX = "trusted comment: ";
  /** Key algorithm tag, and signature tag for Ed25519 over the data itself. */
  public static final String PURE = "Ed";
  /** Signature tag for Ed25519 over the BLAKE2b-512 of the data (minisign's default). */
  public static final String PREHASHED = "ED";
  /** Length of a key id. */
  public static final int KEY_ID_BYTES = 8;
  /** Length of an Ed25519 public key or seed. */
  public static final int KEY_BYTES = 32;
  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = 64;
  /** Length of a decoded public key: tag, key id, key. */
  public static final int PUBLIC_KEY_LINE_BYTES = 2 + KEY_ID_BYTES + KEY_BYTES;
  /** Length of a decoded signature line: tag, key id, signature. */
  public static final int SIGNATURE_LINE_BYTES = 2 + KEY_ID_BYTES + SIGNATURE_BYTES;
  /** The longest trusted comment accepted, as minisign allows. */
  public static final int MAX_COMMENT_BYTES = 1024;

  /** DER header of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the 32 bytes. */
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private Minisign() {}

  /**
   * Decodes standard base64 (RFC 4648, with padding) and accepts only the canonical encoding, so
   * that one signature has exactly one textual form.
   *
   * @throws IllegalArgumentException when {@code text} is not canonical base64
   */
  public static byte[] base64(String text) {
    byte[] decoded = Base64.getDecoder().decode(text);
    if (!Base64.getEncoder().encodeToString(decoded).equals(text)) {
      throw new IllegalArgumentException("not in canonical base64 form");
    }
    return decoded;
  }

  /** Standard base64 with padding. */
  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The key id at {@code offset} in {@code bytes}, as minisign prints it. */
  public static String keyIdText(byte[] bytes, int offset) {
    StringBuilder text = new StringBuilder(2 * KEY_ID_BYTES);
    for (int i = offset + KEY_ID_BYTES - 1; i >= offset; i--) {
      text.append(String.format(Locale.ROOT, "%02X", bytes[i] & 0xff));
    }
    return text.toString();
  }

  /** The two-byte algorithm tag at the start of {@code bytes}, readable in an error message. */
  public static String tagText(byte[] bytes) {
    String tag = new String(bytes, 0, 2, java.nio.charset.StandardCharsets.ISO_8859_1);
    return tag.chars().allMatch(c -> c > 0x20 && c < 0x7f)
        ? "'" + tag + "'"
        : "0x" + HexFormat.of().formatHex(bytes, 0, 2);
  }

  /** Whether the two bytes at the start of {@code bytes} are {@code tag}. */
  public static boolean hasTag(byte[] bytes, String tag) {
    return bytes.length >= 2 && bytes[0] == tag.charAt(0) && bytes[1] == tag.charAt(1);
  }

  /**
   * The JDK key for a raw 32-byte Ed25519 public key, checked to be a point the JDK can verify
   * with.
   *
   * @throws InvalidKeyException when the bytes are not a usable Ed25519 public key
   */
  public static PublicKey publicKey(byte[] raw) throws InvalidKeyException {
    if (raw.length != KEY_BYTES) {
      throw new InvalidKeyException("an Ed25519 public key has 32 bytes, not " + raw.length);
    }
    byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + KEY_BYTES);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, KEY_BYTES);
    try {
      PublicKey key = KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(encoded));
      Signature.getInstance("Ed25519").initVerify(key); // decodes the point: refuses a bad one
      return key;
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

  /** The raw 32 bytes of a JDK Ed25519 public key. */
  public static byte[] rawPublicKey(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded.length != X509_PREFIX.length + KEY_BYTES
        || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
  }

  /** BLAKE2b-512 of {@code data}, the message minisign signs in prehashed mode. */
  public static byte[] blake2b512(byte[] data) {
    Blake2bDigest digest = new Blake2bDigest(512);
    digest.update(data, 0, data.length);
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }

  /** Ed25519 signature of {@code message}. */
  public static byte[] sign(PrivateKey key, byte[] message) throws GeneralSecurityException {
    Signature signature = Signature.getInstance("Ed25519");
    signature.initSign(key);
    signature.update(message);
    return signature.sign();
  }

  /** {@code a} followed by {@code b}. */
  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The lines of {@code text}: split at {@code \n}, without one final line end, each without a
   * trailing {@code \r} (a file edited on Windows).
   */
  public static String[] lines(String text) {
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].endsWith("\r")) {
        lines[i] = lines[i].substring(0, lines[i].length() - 1);
      }
    }
    return lines;
  }
}
