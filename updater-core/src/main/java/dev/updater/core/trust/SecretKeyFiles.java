package dev.updater.core.trust;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading and writing the secret key files of {@link SigningKey}: this library's unencrypted
 * format ({@code updater secret key v1}) and minisign's ({@link MinisignSecretKey}). Not API.
 *
 * <p>Stateless and thread-safe.
 */
final class SecretKeyFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKey.class);

  static final String HEADER = "updater secret key v1";
  static final String HEADER_LINE = HEADER + " (Ed25519, not encrypted: keep this file private)";
  private static final int OWN_LINE_BYTES =
      2 + Minisign.KEY_ID_BYTES + Minisign.KEY_BYTES + Minisign.KEY_BYTES;
  private static final int MAX_FILE_BYTES = 1024;

  private SecretKeyFiles() {}

  /**
   * The key in {@code file}, decrypted with {@code password} when it is encrypted.
   *
   * @throws IllegalArgumentException when the file is not a secret key, or the password is
   *     missing or wrong
   */
  static MinisignSecretKey.Key read(Path file, char[] password) throws IOException {
    return parse(lines(file), file.toString(), password);
  }

  /**
   * The key in {@code text} (the content of a key file; {@code source} names it in errors),
   * decrypted with {@code password} when it is encrypted.
   *
   * @throws IllegalArgumentException as {@link #read} does
   */
  static MinisignSecretKey.Key parse(String text, String source, char[] password) {
    if (text.length() > MAX_FILE_BYTES) {
      throw notAKey(source, "it is longer than " + MAX_FILE_BYTES + " characters");
    }
    return parse(Minisign.lines(text), source, password);
  }

  private static MinisignSecretKey.Key parse(String[] lines, String file, char[] password) {
    if (lines.length == 2 && lines[0].startsWith(Minisign.UNTRUSTED_PREFIX)) {
      byte[] decoded = minisignLine(file, lines[1]);
      try {
        return MinisignSecretKey.decode(decoded, password);
      } catch (IllegalArgumentException e) {
        throw notAKey(file, e.getMessage());
      } finally {
        Arrays.fill(decoded, (byte) 0);
      }
    }
    if (lines.length != 2 || !lines[0].startsWith(HEADER)) {
      throw notAKey(file, "it must be two lines, the first starting with '" + HEADER + "' or '"
          + Minisign.UNTRUSTED_PREFIX.strip() + "' (a minisign secret key)");
    }
    byte[] decoded;
    try {
      decoded = Minisign.base64(lines[1]);
    } catch (IllegalArgumentException e) {
      throw notAKey(file, "its second line is not valid base64");
    }
    if (decoded.length != OWN_LINE_BYTES || !Minisign.hasTag(decoded, Minisign.PURE)) {
      throw notAKey(file, "its second line is not 'Ed', a key id, a seed and a public key");
    }
    int at = 2;
    byte[] id = Arrays.copyOfRange(decoded, at, at += Minisign.KEY_ID_BYTES);
    byte[] seed = Arrays.copyOfRange(decoded, at, at += Minisign.KEY_BYTES);
    byte[] publicKey = Arrays.copyOfRange(decoded, at, at + Minisign.KEY_BYTES);
    Arrays.fill(decoded, (byte) 0);
    return new MinisignSecretKey.Key(id, seed, publicKey);
  }

  /** Whether {@code file} is a minisign secret key encrypted with a password. */
  static boolean encrypted(Path file) throws IOException {
    String[] lines = lines(file);
    return lines.length == 2 && lines[0].startsWith(Minisign.UNTRUSTED_PREFIX)
        && MinisignSecretKey.encrypted(minisignLine(file.toString(), lines[1]));
  }

  /** The text of a secret key file for {@code key}: minisign's, encrypted, with a password. */
  static byte[] text(MinisignSecretKey.Key key, String keyIdText, char[] password,
      long opslimit, long memlimit) {
    byte[] line = password != null
        ? MinisignSecretKey.encode(key, password, opslimit, memlimit, new SecureRandom())
        : Minisign.concat(Minisign.concat(Minisign.concat(
            Minisign.PURE.getBytes(StandardCharsets.US_ASCII), key.keyId()), key.seed()),
            key.publicKey());
    String header = password != null
        ? Minisign.UNTRUSTED_PREFIX + "minisign encrypted secret key " + keyIdText
        : HEADER_LINE;
    try {
      return (header + "\n" + Minisign.base64(line) + "\n").getBytes(StandardCharsets.US_ASCII);
    } finally {
      Arrays.fill(line, (byte) 0);
    }
  }

  /**
   * Writes {@code text} to a new file, readable and writable by its owner only where the file
   * system supports POSIX permissions, and forces it to disk.
   */
  static void write(Path file, byte[] text) throws IOException {
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    boolean posix = Files.getFileStore(file.toAbsolutePath().getParent())
        .supportsFileAttributeView(PosixFileAttributeView.class);
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
        : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(file, options, attributes);
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(text);
      channel.force(true);
    }
  }

  static IllegalArgumentException notAKey(String source, String why) {
    return new IllegalArgumentException(source + " is not a usable secret key: " + why);
  }

  private static String[] lines(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw notAKey(file.toString(), "it is larger than " + MAX_FILE_BYTES + " bytes");
    }
    warnIfOthersCanRead(file);
    return Minisign.lines(new String(bytes, StandardCharsets.UTF_8));
  }

  private static byte[] minisignLine(String file, String line) {
    byte[] decoded;
    try {
      decoded = Minisign.base64(line);
    } catch (IllegalArgumentException e) {
      throw notAKey(file, "its second line is not valid base64");
    }
    if (!MinisignSecretKey.matches(decoded)) {
      throw notAKey(file, "it is not a minisign secret key ('Ed' key, 'B2' checksum, "
          + MinisignSecretKey.BYTES + " bytes)");
    }
    return decoded;
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
}
