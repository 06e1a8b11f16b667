package dev.updater.core.internal.format;

import dev.updater.core.repository.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Splits a file into content-defined chunks, the unit a delta install fetches inside a changed
 * file. The cuts depend on the bytes only, so the same bytes give the same chunks on every run
 * and machine, and an unchanged region of a changed file is, away from the change, the same
 * chunks as before. Not API.
 *
 * <p>Two kinds of cut, described in {@code docs/repository.md}:
 * <ul>
 *   <li>In a zip or jar (a file that starts with a local file header and has an end of central
 *       directory record), before every local file header, at the start of every entry's data,
 *       and before the central directory: an entry's header, which holds its timestamp, and its
 *       data are never in one chunk, so an entry whose data did not change is the same chunk in
 *       every version of the archive. An entry stored uncompressed that is itself a zip (the
 *       nested jars of a fat jar) is cut the same way inside, {@value #MAX_NESTING} levels deep.
 *   <li>In any stretch longer than {@value #MAX_CHUNK} bytes between those cuts (or a whole
 *       file that is not a zip), where a gear rolling hash of the bytes so far (a 64-byte
 *       window) has its top {@value #MASK_BITS} bits zero, at least {@value #MIN_CHUNK} bytes
 *       after the previous cut, and at {@value #MAX_CHUNK} bytes at the latest. The gear table
 *       is 256 values of SplitMix64 from seed 0, fixed forever: changing it would change every
 *       chunk.
 * </ul>
 * Large files get larger chunks, so that a manifest lists a bounded number of them: a file of up
 * to {@value #BASE_SCALE_BYTES} bytes is cut with the sizes above; each doubling beyond doubles
 * the shortest, average and longest chunk of the rolling hash ({@link #level}). Whatever the
 * cuts, a file is never listed in more than {@value #MAX_CHUNKS} chunks: when there would be
 * more (a jar of many thousands of entries), a cut is kept only at least {@code
 * ceil(size / (MAX_CHUNKS - 1))} bytes after the last one kept ({@link #thin}). Both depend on
 * the bytes and the size only, so every publisher cuts a file the same way.
 * A file smaller than {@value #MIN_FILE} bytes, or one that gives a single chunk, is not split.
 *
 * <pre>{@code
 * List<Chunking.Chunk> chunks = Chunking.split(file); // empty: the file is its own object
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Chunking {
  /** Files smaller than this are not split. */
  public static final int MIN_FILE = 64 * 1024;
  /** The shortest chunk the rolling hash cuts. */
  public static final int MIN_CHUNK = 4 * 1024;
  /** The longest chunk the rolling hash leaves. */
  public static final int MAX_CHUNK = 64 * 1024;
  /** The rolling hash cuts where its top this many bits are zero (16 KiB apart on average). */
  public static final int MASK_BITS = 14;
  /** How deep stored zips inside zips are cut along their entries. */
  public static final int MAX_NESTING = 2;
  /** Files up to this size are cut with the base chunk sizes (level 0). */
  public static final long BASE_SCALE_BYTES = 64L * 1024 * 1024;
  /** The most chunks a file is listed in. */
  public static final int MAX_CHUNKS = 32768;

  private static final long[] GEAR = gear();
  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int END_OF_CENTRAL = 0x06054b50;

  /**
   * One chunk of a file, in file order.
   *
   * @param sha256 lower-case hex SHA-256 of the chunk's bytes, also its object name
   * @param size the chunk's length in bytes, at least 1
   */
  public record Chunk(String sha256, long size) {
    public Chunk {
      Objects.requireNonNull(sha256, "sha256");
    }
  }

  private Chunking() {}

  /**
   * The chunks of the regular file {@code file}, not following a link; empty when it is not
   * split (smaller than {@link #MIN_FILE}, larger than 2 GiB, or a single chunk).
   */
  public static List<Chunk> split(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS)) {
      long size = channel.size();
      if (size < MIN_FILE || size > Integer.MAX_VALUE) {
        return List.of();
      }
      ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      return split(bytes);
    }
  }

  /** The chunks of {@code bytes} (position 0 to limit); empty when it is a single chunk. */
  public static List<Chunk> split(ByteBuffer bytes) {
    ByteBuffer buf = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int length = buf.limit();
    List<Integer> cuts = thin(cuts(buf, length), length);
    if (cuts.size() <= 2) {
      return List.of();
    }
    List<Chunk> chunks = new ArrayList<>(cuts.size() - 1);
    MessageDigest digest = Sha256.newDigest();
    HexFormat hex = HexFormat.of();
    for (int i = 0; i + 1 < cuts.size(); i++) {
      int from = cuts.get(i);
      int to = cuts.get(i + 1);
      digest.update(buf.duplicate().position(from).limit(to));
      chunks.add(new Chunk(hex.formatHex(digest.digest()), to - from));
    }
    return chunks;
  }

  /**
   * The scale of the rolling hash for a file of {@code size} bytes: 0 up to {@link
   * #BASE_SCALE_BYTES}, then one more for each doubling. At level {@code n} the rolling hash's
   * shortest, average and longest chunks are {@code 2^n} times the base ones.
   */
  public static int level(long size) {
    int level = 0;
    while ((BASE_SCALE_BYTES << level) < size) {
      level++;
    }
    return level;
  }

  /**
   * {@code cuts} (0 and {@code length} included) when they make at most {@link #MAX_CHUNKS}
   * chunks; else only the cuts at least {@code ceil(length / (MAX_CHUNKS - 1))} bytes after the
   * previous cut kept (and {@code length}), so that every chunk but the last is at least that
   * long and there are at most {@link #MAX_CHUNKS}.
   */
  static List<Integer> thin(List<Integer> cuts, int length) {
    if (cuts.size() - 1 <= MAX_CHUNKS) {
      return cuts;
    }
    long least = (length + (long) MAX_CHUNKS - 2) / (MAX_CHUNKS - 1);
    List<Integer> kept = new ArrayList<>(MAX_CHUNKS + 1);
    kept.add(0);
    for (int i = 1; i + 1 < cuts.size(); i++) {
      if (cuts.get(i) - kept.get(kept.size() - 1) >= least) {
        kept.add(cuts.get(i));
      }
    }
    kept.add(length);
    return kept;
  }

  /** Every cut of {@code buf}, 0 and {@code length} included, in increasing order. */
  static List<Integer> cuts(ByteBuffer buf, int length) {
    TreeSet<Integer> structural = new TreeSet<>();
    structural.add(0);
    structural.add(length);
    zipCuts(buf, 0, length, 0, structural);
    List<Integer> cuts = new ArrayList<>();
    Integer previous = null;
    int level = level(length);
    for (int cut : structural) {
      if (previous != null) {
        rollingCuts(buf, previous, cut, cuts, level);
      }
      cuts.add(cut);
      previous = cut;
    }
    return cuts;
  }

  /** Adds the rolling hash's cuts at {@code level} strictly between {@code from} and {@code to}. */
  private static void rollingCuts(ByteBuffer buf, int from, int to, List<Integer> cuts,
      int level) {
    int min = MIN_CHUNK << level;
    int max = MAX_CHUNK << level;
    int shift = 64 - (MASK_BITS + level);
    if (to - from <= max) {
      return;
    }
    long hash = 0;
    int start = from;
    for (int i = from; i < to; i++) {
      hash = (hash << 1) + GEAR[buf.get(i) & 0xff];
      int length = i + 1 - start;
      if ((length >= min && (hash >>> shift) == 0) || length == max) {
        if (to - (i + 1) > 0) {
          cuts.add(i + 1);
        }
        start = i + 1;
        hash = 0;
      }
    }
  }

  /**
   * Adds the cuts of the zip held in {@code [start, end)} of {@code buf}, if it is one whose
   * central directory describes it; anything else (no zip, zip64, offsets that do not add up)
   * adds nothing, and the rolling hash alone cuts it.
   */
  private static void zipCuts(ByteBuffer buf, int start, int end, int depth,
      TreeSet<Integer> cuts) {
    if (end - start < 22 || buf.getInt(start) != LOCAL_HEADER) {
      return;
    }
    int eocd = -1;
    for (int p = end - 22; p >= Math.max(start, end - 22 - 0xffff); p--) {
      if (buf.getInt(p) == END_OF_CENTRAL) {
        eocd = p;
        break;
      }
    }
    if (eocd < 0) {
      return;
    }
    int count = buf.getShort(eocd + 10) & 0xffff;
    long cdSize = buf.getInt(eocd + 12) & 0xffffffffL;
    long cdOffset = buf.getInt(eocd + 16) & 0xffffffffL;
    if (start + cdOffset + cdSize != eocd) {
      return; // zip64, a prefixed archive or a damaged one
    }
    List<Integer> found = new ArrayList<>();
    int p = (int) (start + cdOffset);
    for (int i = 0; i < count; i++) {
      if (p + 46 > eocd || buf.getInt(p) != CENTRAL_HEADER) {
        return;
      }
      int method = buf.getShort(p + 10) & 0xffff;
      long compressed = buf.getInt(p + 20) & 0xffffffffL;
      int nameLength = buf.getShort(p + 28) & 0xffff;
      int extraLength = buf.getShort(p + 30) & 0xffff;
      int commentLength = buf.getShort(p + 32) & 0xffff;
      long local = start + (buf.getInt(p + 42) & 0xffffffffL);
      if (local + 30 > eocd || buf.getInt((int) local) != LOCAL_HEADER) {
        return;
      }
      long data = local + 30 + (buf.getShort((int) local + 26) & 0xffff)
          + (buf.getShort((int) local + 28) & 0xffff);
      if (data + compressed > start + cdOffset) {
        return;
      }
      found.add((int) local);
      found.add((int) data);
      if (method == 0 && depth < MAX_NESTING && compressed >= MIN_FILE) {
        zipCuts(buf, (int) data, (int) (data + compressed), depth + 1, cuts);
      }
      p += 46 + nameLength + extraLength + commentLength;
    }
    cuts.addAll(found);
    cuts.add((int) (start + cdOffset));
  }

  /** SplitMix64 from seed 0: 256 well-mixed values, the same on every machine. */
  private static long[] gear() {
    long[] table = new long[256];
    long state = 0;
    for (int i = 0; i < table.length; i++) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      table[i] = z ^ (z >>> 31);
    }
    return table;
  }
}
