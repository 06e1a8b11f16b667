package dev.updater.core.trust;

import dev.updater.core.spi.VerificationException;
import dev.updater.core.trust.Minisign;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Ed25519 public keys whose signatures an update repository may carry: one key normally, two
 * or more while a vendor rotates keys. A signature made by any of them is accepted; a signature by
 * any other key is refused.
 *
 * <p>Keys are in minisign's public-key format, so a key made with {@code minisign -G}, with
 * {@link SigningKey#generate()} or with {@code updater keygen} can be given as is: the whole
 * {@code .pub} file (an {@code untrusted comment:} line, then the key) or only its second line, the
 * base64 of {@code "Ed"}, an 8-byte key id and the 32-byte public key. Key ids must be unique, and
 * one public key may not appear under two ids.
 *
 * <pre>{@code
 * TrustedKeys keys = TrustedKeys.parse(
 *     "RWRvWDgqT1r3ZAch+SBEr6AY4ElKo58E/KQ/J62cC/u0ofsKn6wYscv/",   // the current key
 *     Files.readString(Path.of("/etc/myapp/next-key.pub")));        // the key rotated in
 * ReleaseSource source = DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp"), keys);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedKeys {

  private static final MinisignVerifier VERIFIER = MinisignVerifier.create();

  /** The largest public-key file {@link #read} accepts. */
  private static final int MAX_KEY_FILE_BYTES = 4096;

  private final Map<String, PublicKey> keys;

  private TrustedKeys(Map<String, PublicKey> keys) {
    this.keys = keys;
  }

  /**
   * Trusts the given minisign public keys, each the text of a {@code .pub} file or its base64
   * line.
   *
   * @throws IllegalArgumentException when no key is given, a key is malformed (naming which one and
   *     why), two keys share a key id, or one key is given twice
   */
  public static TrustedKeys parse(String... minisignPublicKeys) {
    Objects.requireNonNull(minisignPublicKeys, "minisignPublicKeys");
    return parse(Arrays.asList(minisignPublicKeys));
  }

  /**
   * Trusts the given minisign public keys; see {@link #parse(String...)}.
   *
   * @throws IllegalArgumentException as {@link #parse(String...)} does
   */
  public static TrustedKeys parse(List<String> minisignPublicKeys) {
    Objects.requireNonNull(minisignPublicKeys, "minisignPublicKeys");
    if (minisignPublicKeys.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted public key is needed");
    }
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    Map<String, String> idsByKey = new LinkedHashMap<>();
    for (int i = 0; i < minisignPublicKeys.size(); i++) {
      String text = Objects.requireNonNull(minisignPublicKeys.get(i), "minisignPublicKeys[" + i + "]");
      byte[] decoded = decode(text, i + 1);
      String id = Minisign.keyIdText(decoded, 2);
      byte[] raw = Arrays.copyOfRange(decoded, 2 + Minisign.KEY_ID_BYTES, decoded.length);
      PublicKey key;
      try {
        key = Minisign.publicKey(raw);
      } catch (InvalidKeyException e) {
        throw malformed(i + 1, "its 32 key bytes are not an Ed25519 public key (" + e.getMessage()
            + ")");
      }
      if (keys.containsKey(id)) {
        throw new IllegalArgumentException("key id " + id + " is given twice; the key ids of "
            + "trusted keys must be unique");
      }
      String sameKey = idsByKey.putIfAbsent(HexFormat.of().formatHex(raw), id);
      if (sameKey != null) {
        throw new IllegalArgumentException("the same public key is given under the key ids "
            + sameKey + " and " + id);
      }
      keys.put(id, key);
    }
    return new TrustedKeys(Map.copyOf(keys));
  }

  /**
   * Trusts the minisign public keys in the given files ({@code minisign.pub}, {@code updater.pub}).
   *
   * @throws IllegalArgumentException as {@link #parse(String...)} does, or when a file is larger
   *     than 4 KiB or not UTF-8 text
   * @throws IOException when a file cannot be read
   */
  public static TrustedKeys read(Path... publicKeyFiles) throws IOException {
    Objects.requireNonNull(publicKeyFiles, "publicKeyFiles");
    String[] texts = new String[publicKeyFiles.length];
    for (int i = 0; i < publicKeyFiles.length; i++) {
      Path file = Objects.requireNonNull(publicKeyFiles[i], "publicKeyFiles[" + i + "]");
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_KEY_FILE_BYTES) {
        throw new IllegalArgumentException(file + " is larger than " + MAX_KEY_FILE_BYTES
            + " bytes: it is not a minisign public key");
      }
      texts[i] = new String(bytes, StandardCharsets.UTF_8);
    }
    return parse(texts);
  }

  /**
   * Checks that {@code minisignSignature} (the text of a {@code .minisig} file) is a valid
   * signature of {@code data} by one of these keys, with an intact trusted comment. The signature
   * file is parsed completely and strictly first; both the legacy ({@code Ed}) and the prehashed
   * ({@code ED}) forms are accepted. Fails closed: any problem, including one of the cryptographic
   * provider, is a {@link VerificationException}.
   *
   * <pre>{@code
   * String comment = trustedKeys.verify(indexBytes, Files.readString(sigFile));
   * }</pre>
   *
   * @return the trusted comment, verified
   * @throws VerificationException when the signature is malformed, names a key that is not
   *     trusted, does not match the data, or its trusted comment was changed
   */
  public String verify(byte[] data, String minisignSignature) throws VerificationException {
    return VERIFIER.verify(data, minisignSignature, this);
  }

  /**
   * The trusted key with this id alone: a signature checked with it counts for exactly that key,
   * as a threshold of distinct signers needs.
   *
   * @throws IllegalArgumentException when no trusted key has this id
   */
  public TrustedKeys only(String keyId) {
    String id = Objects.requireNonNull(keyId, "keyId").toUpperCase(java.util.Locale.ROOT);
    PublicKey key = keys.get(id);
    if (key == null) {
      throw new IllegalArgumentException("no trusted key has the id " + keyId);
    }
    return new TrustedKeys(Map.of(id, key));
  }

  /** The ids of the trusted keys, as minisign prints them (16 upper-case hex digits). */
  public List<String> keyIds() {
    return keys.keySet().stream().sorted().toList();
  }

  /**
   * The trusted Ed25519 key with this id, if there is one.
   *
   * @param keyId 16 hex digits, as minisign prints a key id (either case)
   */
  public Optional<PublicKey> find(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    return Optional.ofNullable(keys.get(keyId.toUpperCase(java.util.Locale.ROOT)));
  }

  @Override
  public String toString() {
    return "TrustedKeys" + keyIds();
  }

  private static byte[] decode(String text, int position) {
    if (text.isBlank()) {
      throw malformed(position, "it is empty");
    }
    String[] lines = Minisign.lines(text.strip());
    String line;
    if (lines.length == 1) {
      line = lines[0].strip();
    } else if (lines.length == 2) {
      if (!lines[0].startsWith(Minisign.UNTRUSTED_PREFIX)) {
        throw malformed(position, "its first line must start with '"
            + Minisign.UNTRUSTED_PREFIX + "'");
      }
      line = lines[1].strip();
    } else {
      throw malformed(position, "it has " + lines.length + " lines; a key is one base64 line, "
          + "optionally after an 'untrusted comment:' line");
    }
    byte[] decoded;
    try {
      decoded = Minisign.base64(line);
    } catch (IllegalArgumentException e) {
      throw malformed(position, "its key line is not valid base64 (" + e.getMessage() + ")");
    }
    if (decoded.length != Minisign.PUBLIC_KEY_LINE_BYTES) {
      throw malformed(position, "its key line decodes to " + decoded.length + " bytes, not "
          + Minisign.PUBLIC_KEY_LINE_BYTES + " ('Ed', 8-byte key id, 32-byte key)");
    }
    if (!Minisign.hasTag(decoded, Minisign.PURE)) {
      throw malformed(position, "its algorithm is " + Minisign.tagText(decoded)
          + ", not 'Ed' (Ed25519)");
    }
    return decoded;
  }

  private static IllegalArgumentException malformed(int position, String why) {
    return new IllegalArgumentException("trusted key #" + position
        + " is not a minisign public key: " + why);
  }
}
