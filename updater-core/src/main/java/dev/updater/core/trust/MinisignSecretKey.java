package dev.updater.core.trust;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * minisign's secret key file, read and written: {@code "Ed"}, the key derivation ({@code "Sc"}:
 * scrypt, or two zero bytes: none), {@code "B2"}, a 32-byte salt, scrypt's operations and memory
 * limits (little-endian 64-bit), then 104 bytes: the key id, the Ed25519 seed and public key, and
 * the BLAKE2b-256 of {@code "Ed"}, key id and key. With scrypt those 104 bytes are XORed with as
 * many bytes of scrypt(password, salt), its cost chosen from the two limits as libsodium chooses
 * it, so the real {@code minisign} tool reads what this class writes, and the other way round.
 * Not API.
 *
 * <p>Stateless and thread-safe.
 */
final class MinisignSecretKey {
  /** The length of the decoded key line. */
  static final int BYTES = 2 + 2 + 2 + 32 + 8 + 8 + 104;
  /** The operations limit written by default: with the memory limit, scrypt N=2^18, r=8, p=1. */
  static final long OPSLIMIT = 1L << 23;
  /** The memory limit written by default: 256 MiB. */
  static final long MEMLIMIT = 1L << 28;
  /** The most memory a key file may ask scrypt for (minisign's own default): 1 GiB. */
  static final long MAX_MEMORY = 1L << 30;

  private static final byte[] SCRYPT = {'S', 'c'};
  private static final byte[] NONE = {0, 0};
  private static final byte[] BLAKE2B = {'B', '2'};
  private static final int SECRET_AT = 2 + 2 + 2 + 32 + 8 + 8;

  /** A decoded key: key id, seed and public key. */
  record Key(byte[] keyId, byte[] seed, byte[] publicKey) {}

  private MinisignSecretKey() {}

  /** Whether {@code decoded} has the shape of a minisign secret key line. */
  static boolean matches(byte[] decoded) {
    return decoded.length == BYTES && Minisign.hasTag(decoded, Minisign.PURE)
        && decoded[4] == BLAKE2B[0] && decoded[5] == BLAKE2B[1];
  }

  /** Whether the key line is encrypted with a password. */
  static boolean encrypted(byte[] decoded) {
    return decoded[2] == SCRYPT[0] && decoded[3] == SCRYPT[1];
  }

  /**
   * The key in {@code decoded}, decrypted with {@code password} when it is encrypted.
   *
   * @throws IllegalArgumentException when the password is missing or wrong, the checksum does
   *     not match, or the file asks scrypt for more than {@link #MAX_MEMORY}
   */
  static Key decode(byte[] decoded, char[] password) {
    byte[] secret = Arrays.copyOfRange(decoded, SECRET_AT, BYTES);
    try {
      if (encrypted(decoded)) {
        if (password == null) {
          throw new IllegalArgumentException("it is encrypted with a password; give the password");
        }
        ByteBuffer limits = ByteBuffer.wrap(decoded, 38, 16).order(ByteOrder.LITTLE_ENDIAN);
        xor(secret, stream(password, Arrays.copyOfRange(decoded, 6, 38), limits.getLong(),
            limits.getLong()));
      } else if (decoded[2] != NONE[0] || decoded[3] != NONE[1]) {
        throw new IllegalArgumentException("its key derivation " + Minisign.tagText(
            Arrays.copyOfRange(decoded, 2, 4)) + " is unknown (scrypt 'Sc' or none)");
      }
      byte[] id = Arrays.copyOfRange(secret, 0, 8);
      byte[] seed = Arrays.copyOfRange(secret, 8, 40);
      byte[] publicKey = Arrays.copyOfRange(secret, 40, 72);
      if (!MessageDigest.isEqual(checksum(id, seed, publicKey), Arrays.copyOfRange(secret, 72,
          104))) {
        throw new IllegalArgumentException(encrypted(decoded)
            ? "the password is wrong (or the file is damaged)" : "its checksum does not match");
      }
      return new Key(id, seed, publicKey);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * The key line for {@code key}: encrypted with {@code password} (scrypt with {@code opslimit}
   * and {@code memlimit}), or unencrypted when {@code password} is null.
   */
  static byte[] encode(Key key, char[] password, long opslimit, long memlimit,
      SecureRandom random) {
    byte[] salt = new byte[32];
    random.nextBytes(salt);
    byte[] secret = Minisign.concat(Minisign.concat(Minisign.concat(key.keyId(), key.seed()),
        key.publicKey()), checksum(key.keyId(), key.seed(), key.publicKey()));
    if (password != null) {
      xor(secret, stream(password, salt, opslimit, memlimit));
    }
    ByteBuffer line = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    line.put(Minisign.PURE.getBytes(StandardCharsets.US_ASCII))
        .put(password != null ? SCRYPT : NONE).put(BLAKE2B).put(salt)
        .putLong(opslimit).putLong(memlimit).put(secret);
    Arrays.fill(secret, (byte) 0);
    return line.array();
  }

  /** The 104 bytes of scrypt(password, salt) with the cost libsodium picks from the limits. */
  private static byte[] stream(char[] password, byte[] salt, long opslimit, long memlimit) {
    long ops = Math.max(opslimit, 32768);
    int r = 8;
    int nLog2;
    int p;
    if (Long.compareUnsigned(ops, Long.divideUnsigned(memlimit, 32)) < 0) {
      p = 1;
      nLog2 = log2Above(ops / (r * 4L));
    } else {
      nLog2 = log2Above(Long.divideUnsigned(memlimit, r * 128L));
      long maxrp = Math.min((ops / 4) >>> nLog2, 0x3fffffffL);
      p = (int) maxrp / r;
    }
    if (nLog2 >= 31 || (128L * r << nLog2) > MAX_MEMORY || p < 1 || p > 64) {
      throw new IllegalArgumentException("it asks scrypt for N=2^" + nLog2 + ", r=" + r + ", p="
          + p + ": more than the " + (MAX_MEMORY >> 20) + " MiB allowed");
    }
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = Arrays.copyOfRange(utf8.array(), utf8.position(), utf8.limit());
    Arrays.fill(utf8.array(), (byte) 0);
    try {
      return SCrypt.generate(bytes, salt, 1 << nLog2, r, p, 104);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The smallest n (from 1) with 2^n greater than half of {@code maxN}, as libsodium loops. */
  private static int log2Above(long maxN) {
    int n = 1;
    while (n < 63 && (1L << n) <= maxN / 2) {
      n++;
    }
    return n;
  }

  private static byte[] checksum(byte[] id, byte[] seed, byte[] publicKey) {
    Blake2bDigest digest = new Blake2bDigest(256);
    byte[] tag = Minisign.PURE.getBytes(StandardCharsets.US_ASCII);
    digest.update(tag, 0, tag.length);
    digest.update(id, 0, id.length);
    digest.update(seed, 0, seed.length);
    digest.update(publicKey, 0, publicKey.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  private static void xor(byte[] data, byte[] stream) {
    for (int i = 0; i < data.length; i++) {
      data[i] ^= stream[i];
    }
    Arrays.fill(stream, (byte) 0);
  }
}
