package dev.updater.core.trust;

import dev.updater.core.trust.Minisign;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Ed25519 key pair that signs channel indexes, for publishers, the CLI and tests. Signatures
 * are minisign signature files ({@code .minisig}) and the public key is a minisign public key, so
 * {@code minisign -V} verifies what this key signs, and {@link TrustedKeys} accepts what {@code
 * minisign -S} signs.
 *
 * <p>The secret key is saved in a format of this library, not minisign's: two text lines, {@code
 * updater secret key v1 ...} and the base64 of {@code "Ed"}, the 8-byte key id, the 32-byte Ed25519
 * seed and the 32-byte public key. It is <strong>not encrypted</strong>: protect the file (it is
 * created readable by its owner only where the file system has POSIX permissions). minisign's
 * encrypted secret keys cannot be loaded here, nor can minisign load these.
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

  private static final String HEADER = "updater secret key v1";
  private static final String HEADER_LINE =
      HEADER + " (Ed25519, not encrypted: keep this file private)";
  private static final int SECRET_LINE_BYTES =
      2 + Minisign.KEY_ID_BYTES + Minisign.KEY_BYTES + Minisign.KEY_BYTES;
  private static final int MAX_FILE_BYTES = 1024;

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
   * @throws IllegalArgumentException when the file is not an updater secret key, or its secret and
   *     public halves do not belong together (a damaged file)
   * @throws IOException when the file cannot be read
   */
  public static SigningKey load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw notAKey(file, "it is larger than " + MAX_FILE_BYTES + " bytes");
    }
    warnIfOthersCanRead(file);
    return parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Reads a secret key from the text of a file written by {@link #save}, such as the value of an
   * environment variable a CI job fills from its secrets. The text is never logged.
   *
   * @throws IllegalArgumentException when the text is not an updater secret key
   */
  public static SigningKey parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() > MAX_FILE_BYTES) {
      throw notAKey("the text", "it is longer than " + MAX_FILE_BYTES + " characters");
    }
    return parse(text, "the text");
  }

  private static SigningKey parse(String text, String source) {
    String[] lines = Minisign.lines(text);
    if (lines.length != 2 || !lines[0].startsWith(HEADER)) {
      throw notAKey(source, "it must be two lines, the first starting with '" + HEADER + "' (a "
          + "minisign secret key cannot be loaded: sign with the minisign tool instead)");
    }
    byte[] decoded;
    try {
      decoded = Minisign.base64(lines[1]);
    } catch (IllegalArgumentException e) {
      throw notAKey(source, "its second line is not valid base64");
    }
    if (decoded.length != SECRET_LINE_BYTES || !Minisign.hasTag(decoded, Minisign.PURE)) {
      throw notAKey(source, "its second line is not 'Ed', a key id, a seed and a public key");
    }
    int at = 2;
    byte[] id = Arrays.copyOfRange(decoded, at, at += Minisign.KEY_ID_BYTES);
    byte[] seed = Arrays.copyOfRange(decoded, at, at += Minisign.KEY_BYTES);
    byte[] publicKey = Arrays.copyOfRange(decoded, at, at + Minisign.KEY_BYTES);
    Arrays.fill(decoded, (byte) 0);
    try {
      return new SigningKey(id, seed, publicKey);
    } catch (InvalidKeyException e) {
      throw notAKey(source, e.getMessage());
    }
  }

  /**
   * Writes the secret key to a new file, readable and writable by its owner only where the file
   * system supports POSIX permissions, and forces it to disk. Never overwrites.
   *
   * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists
   * @throws IOException when it cannot be written
   */
  public void save(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    boolean posix = Files.getFileStore(file.toAbsolutePath().getParent())
        .supportsFileAttributeView(PosixFileAttributeView.class);
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
        : new FileAttribute<?>[0];
    byte[] secret = Minisign.concat(Minisign.concat(Minisign.concat(
        Minisign.PURE.getBytes(StandardCharsets.US_ASCII), keyId), seed), publicKey);
    byte[] text = (HEADER_LINE + "\n" + Minisign.base64(secret) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(secret, (byte) 0);
    try (FileChannel channel = FileChannel.open(file, options, attributes);
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(text);
      channel.force(true);
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
    Objects.requireNonNull(secretKeyFile, "secretKeyFile");
    Objects.requireNonNull(publicKeyFile, "publicKeyFile");
    for (Path file : new Path[] {secretKeyFile, publicKeyFile}) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(file.toString(), null, "a key is never overwritten");
      }
    }
    save(secretKeyFile);
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

  private static void warnIfOthersCanRead(Path file) {
    try {
      PosixFileAttributeView view = Files.getFileAttributeView(file,
          PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (view == null) {
        return;
      }
      Set<PosixFilePermission> permissions = view.readAttributes().permissions();
      if (permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warn("The secret key file {} can be read by others ({}); restrict it to its owner "
            + "(chmod 600)", file, PosixFilePermissions.toString(permissions));
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("Could not read the permissions of {}", file, e);
    }
  }

  private static IllegalArgumentException notAKey(Path file, String why) {
    return notAKey(file.toString(), why);
  }

  private static IllegalArgumentException notAKey(String source, String why) {
    return new IllegalArgumentException(source + " is not an updater secret key: " + why);
  }
}
