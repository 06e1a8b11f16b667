package dev.updater.core.trust;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Ed25519 key pair that signs channel indexes, for publishers, the CLI and tests. Signatures
 * are minisign signature files ({@code .minisig}) and the public key is a minisign public key, so
 * {@code minisign -V} verifies what this key signs, and {@link TrustedKeys} accepts what {@code
 * minisign -S} signs.
 *
 * <p>Saved with a password ({@link #save(Path, char[])}), the secret key file is minisign's own
 * password-protected format (scrypt, N=2^18, r=8, p=1): {@code minisign -S -s} signs with it,
 * and {@link #load(Path, char[])} loads the keys {@code minisign -G} makes (encrypted, or
 * unencrypted with {@code -W}). Saved without one ({@link #save(Path)}), it is this library's
 * unencrypted format: two text lines, {@code updater secret key v1 ...} and the base64 of {@code
 * "Ed"}, the 8-byte key id, the 32-byte Ed25519 seed and the 32-byte public key. Either file is
 * created readable by its owner only where the file system has POSIX permissions; prefer a
 * password for a key kept on a disk.
 *
 * <pre>{@code
 * SigningKey key = SigningKey.generate();
 * key.writeTo(Path.of("updater.key"), Path.of("updater.pub"));
 * byte[] index = Files.readAllBytes(Path.of("repo/channels/stable.json"));
 * Files.writeString(Path.of("repo/channels/stable.json.minisig"), key.sign(index, "serial 7"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SigningKey {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKey.class);


  /** How a signature covers the data. */
  public enum Mode {
    /** Ed25519 over the BLAKE2b-512 of the data, tag {@code ED}: minisign's default. */
    PREHASHED,
    /** Ed25519 over the data itself, tag {@code Ed}: minisign's legacy mode ({@code -l}). */
    PURE
  }

  private final byte[] keyId;
  private final byte[] seed;
  private final byte[] publicKey;
  private final PrivateKey privateKey;

  private SigningKey(byte[] keyId, byte[] seed, byte[] publicKey) throws InvalidKeyException {
    this.keyId = keyId;
    this.seed = seed;
    this.publicKey = publicKey;
    try {
      this.privateKey = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
      PublicKey verifying = Minisign.publicKey(publicKey);
      byte[] probe = "updater key check".getBytes(StandardCharsets.US_ASCII);
      Signature check = Signature.getInstance("Ed25519");
      check.initVerify(verifying);
      check.update(probe);
      if (!check.verify(Minisign.sign(privateKey, probe))) {
        throw new InvalidKeyException("the secret and the public key do not belong together");
      }
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

  /** A new key pair with a random key id, from the JDK's default {@link SecureRandom}. */
  public static SigningKey generate() {
    try {
      SecureRandom random = new SecureRandom();
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes()
          .orElseThrow(() -> new IllegalStateException("the Ed25519 seed is not extractable"));
      byte[] id = new byte[Minisign.KEY_ID_BYTES];
      random.nextBytes(id);
      return new SigningKey(id, seed, Minisign.rawPublicKey(pair.getPublic()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
    }
  }

  /**
   * Loads a secret key written by {@link #save}. A file that others may read is loaded, with a
   * warning in the log.
   *
   * @throws IllegalArgumentException when the file is not a secret key, or is encrypted (load it
   *     with its password), or its secret and public halves do not belong together (damaged)
   * @throws IOException when the file cannot be read
   */
  public static SigningKey load(Path file) throws IOException {
    return load(file, null);
  }

  /**
   * Loads a secret key file: this library's (unencrypted) or minisign's, decrypting it with
   * {@code password} when it is encrypted. A file that others may read is loaded, with a warning
   * in the log.
   *
   * <pre>{@code
   * SigningKey key = SigningKey.load(Path.of("minisign.key"), System.console().readPassword());
   * }</pre>
   *
   * @param password the password of an encrypted key; null for an unencrypted one
   * @throws IllegalArgumentException when the file is not a secret key, the key is encrypted and
   *     no password or a wrong one is given, or it is damaged
   * @throws IOException when the file cannot be read
   */
  public static SigningKey load(Path file, char[] password) throws IOException {
    Objects.requireNonNull(file, "file");
    MinisignSecretKey.Key key = SecretKeyFiles.read(file, password);
    try {
      return new SigningKey(key.keyId(), key.seed(), key.publicKey());
    } catch (InvalidKeyException e) {
      throw SecretKeyFiles.notAKey(file.toString(), e.getMessage());
    }
  }

  /**
   * Reads a secret key from the text of a key file, such as the value of an environment variable
   * a CI job fills from its secrets. The text is never logged.
   *
   * @throws IllegalArgumentException when the text is not a secret key, or is encrypted
   */
  public static SigningKey parse(String text) {
    return parse(text, null);
  }

  /**
   * Reads a secret key from the text of a key file, decrypting it with {@code password} when it
   * is encrypted (minisign's format). The text and the password are never logged.
   *
   * @param password the password of an encrypted key; null for an unencrypted one
   * @throws IllegalArgumentException when the text is not a secret key, or the password is
   *     missing or wrong
   */
  public static SigningKey parse(String text, char[] password) {
    Objects.requireNonNull(text, "text");
    MinisignSecretKey.Key key = SecretKeyFiles.parse(text, "the text", password);
    try {
      return new SigningKey(key.keyId(), key.seed(), key.publicKey());
    } catch (InvalidKeyException e) {
      throw SecretKeyFiles.notAKey("the text", e.getMessage());
    }
  }

  /**
   * Whether {@code file} is a secret key encrypted with a password (minisign's format), so that
   * a caller knows to ask for one before {@link #load(Path, char[])}.
   *
   * @throws IllegalArgumentException when it is not a secret key file
   * @throws IOException when the file cannot be read
   */
  public static boolean isEncrypted(Path file) throws IOException {
    return SecretKeyFiles.encrypted(Objects.requireNonNull(file, "file"));
  }

  /**
   * Writes the secret key to a new file, readable and writable by its owner only where the file
   * system supports POSIX permissions, and forces it to disk. Never overwrites.
   *
   * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists
   * @throws IOException when it cannot be written
   */
  public void save(Path file) throws IOException {
    save(file, null);
  }

  /**
   * Writes the secret key to a new file as {@link #save(Path)} does, encrypted with {@code
   * password} in minisign's format when it is not null, so that the file alone does not give the
   * key away; the {@code minisign} tool signs with it too.
   *
   * @param password the password; null writes this library's unencrypted format
   * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists
   * @throws IOException when it cannot be written
   */
  public void save(Path file, char[] password) throws IOException {
    save(file, password, MinisignSecretKey.OPSLIMIT, MinisignSecretKey.MEMLIMIT);
  }

  /** {@link #save(Path, char[])} with scrypt's limits given (tests use cheap ones). */
  void save(Path file, char[] password, long opslimit, long memlimit) throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] text = SecretKeyFiles.text(new MinisignSecretKey.Key(keyId, seed, publicKey), keyId(),
        password, opslimit, memlimit);
    try {
      SecretKeyFiles.write(file, text);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
    LOG.info("Saved the secret key {} to {}", keyId(), file);
  }

  /**
   * Writes the key pair as two new files: the secret key as {@link #save} writes it (readable by
   * its owner only where the file system has POSIX permissions), and the public key ({@link
   * #publicKeyText()}), each forced to disk. Never overwrites: when either file exists, neither is
   * written, and when the public key cannot be written the new secret key file is removed again.
   *
   * <pre>{@code
   * SigningKey.generate().writeTo(dir.resolve("updater.key"), dir.resolve("updater.pub"));
   * }</pre>
   *
   * @throws java.nio.file.FileAlreadyExistsException when either file exists
   * @throws IOException when a file cannot be written
   */
  public void writeTo(Path secretKeyFile, Path publicKeyFile) throws IOException {
    writeTo(secretKeyFile, publicKeyFile, null);
  }

  /**
   * Writes the key pair as {@link #writeTo(Path, Path)} does, the secret key encrypted with
   * {@code password} (minisign's format) when it is not null.
   *
   * @throws java.nio.file.FileAlreadyExistsException when either file exists
   * @throws IOException when a file cannot be written
   */
  public void writeTo(Path secretKeyFile, Path publicKeyFile, char[] password)
      throws IOException {
    Objects.requireNonNull(secretKeyFile, "secretKeyFile");
    Objects.requireNonNull(publicKeyFile, "publicKeyFile");
    for (Path file : new Path[] {secretKeyFile, publicKeyFile}) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(file.toString(), null, "a key is never overwritten");
      }
    }
    save(secretKeyFile, password);
    try (FileChannel channel = FileChannel.open(publicKeyFile, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(publicKeyText().getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(secretKeyFile);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The key id, as minisign prints it: 16 upper-case hex digits. */
  public String keyId() {
    return Minisign.keyIdText(keyId, 0);
  }

  /**
   * The public key in minisign's format: an {@code untrusted comment:} line naming the key id and
   * the base64 key line, each ending with a newline. {@link TrustedKeys#parse(String...)} and
   * {@code minisign -V -p} read it.
   */
  public String publicKeyText() {
    byte[] line = Minisign.concat(Minisign.concat(
        Minisign.PURE.getBytes(StandardCharsets.US_ASCII), keyId), publicKey);
    return Minisign.UNTRUSTED_PREFIX + "minisign public key " + keyId() + "\n"
        + Minisign.base64(line) + "\n";
  }

  /**
   * Signs {@code data} in {@link Mode#PREHASHED} mode (minisign's default).
   *
   * @see #sign(byte[], String, Mode)
   */
  public String sign(byte[] data, String trustedComment) {
    return sign(data, trustedComment, Mode.PREHASHED);
  }

  /**
   * Signs {@code data}, returning the text of a minisign signature file: an untrusted comment, the
   * signature, the trusted comment and the global signature over signature and comment.
   *
   * @param trustedComment one line of text, signed along with the data, at most 1024 UTF-8 bytes
   * @throws IllegalArgumentException when {@code trustedComment} holds a line break or is too long
   */
  public String sign(byte[] data, String trustedComment, Mode mode) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(trustedComment, "trustedComment");
    Objects.requireNonNull(mode, "mode");
    if (trustedComment.indexOf('\n') >= 0 || trustedComment.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a trusted comment is one line; it may not hold a line "
          + "break");
    }
    byte[] comment = trustedComment.getBytes(StandardCharsets.UTF_8);
    if (comment.length > Minisign.MAX_COMMENT_BYTES) {
      throw new IllegalArgumentException("the trusted comment is " + comment.length
          + " bytes, more than " + Minisign.MAX_COMMENT_BYTES);
    }
    String tag = mode == Mode.PREHASHED ? Minisign.PREHASHED : Minisign.PURE;
    try {
      byte[] signature = Minisign.sign(privateKey,
          mode == Mode.PREHASHED ? Minisign.blake2b512(data) : data);
      byte[] global = Minisign.sign(privateKey, Minisign.concat(signature, comment));
      byte[] line = Minisign.concat(Minisign.concat(
          tag.getBytes(StandardCharsets.US_ASCII), keyId), signature);
      return Minisign.UNTRUSTED_PREFIX + "signature from updater secret key " + keyId() + "\n"
          + Minisign.base64(line) + "\n"
          + Minisign.TRUSTED_PREFIX + trustedComment + "\n"
          + Minisign.base64(global) + "\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** Names the key id only; never the secret. */
  @Override
  public String toString() {
    return "SigningKey[" + keyId() + "]";
  }
}
