package dev.updater.core.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updater.core.Version;
import dev.updater.core.spi.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Packs of objects ({@code docs/repository.md#packs}): per release, the compressed objects it
 * introduces (those its predecessor's manifest does not name), concatenated in one static file
 * {@code packs/<index sha256>.pack}, so that an install fetches many small objects in a few
 * {@code Range} requests. The pack's <em>index</em> is an object like a page, listing each
 * object's name prefix and compressed length in pack order (offsets are the running sum, so no
 * two objects overlap and none lies outside the pack). The root of a format-3 manifest lists the
 * packs of its release and of the releases before it ({@code "packs"}); every object read from a
 * pack is still checked against the SHA-256 and size its manifest lists. Not API.
 *
 * <p>Stateless and thread-safe.
 */
public final class Packs {
  /** The first line of an index. */
  static final String HEADER = "updater-pack 1";
  /** How many hex digits of an object's SHA-256 an index keeps: 64 bits. */
  public static final int PREFIX_HEX = 16;
  /** The largest index accepted, like a page. */
  public static final long MAX_INDEX_BYTES = ManifestPages.MAX_PAGE_BYTES;
  /** The most packs a root lists: its own and those of the releases before it. */
  public static final int MAX_LISTED = 8;
  /** The largest object (uncompressed) a publisher puts in a pack. */
  public static final long MAX_MEMBER_BYTES = 4L * 1024 * 1024;

  private static final Pattern LINE = Pattern.compile("[0-9a-f]{16} [1-9][0-9]{0,9}");

  /**
   * One pack as a root lists it.
   *
   * @param version the release that introduced the pack's objects
   * @param index the SHA-256 of the index's bytes, also its object name
   * @param size the index's length in bytes
   * @param objects how many objects the pack holds
   * @param bytes the pack's length in bytes
   */
  public record PackRef(Version version, String index, long size, int objects, long bytes) {
    public PackRef {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(index, "index");
    }

    /** The pack's repository-relative location, {@code packs/<index>.pack}. */
    public String location() {
      return "packs/" + index + ".pack";
    }
  }

  /** One object of a pack being written: its name and its compressed length. */
  public record Member(String sha256, long length) {}

  /** Where an object lies in a pack. */
  public record Location(PackRef pack, long offset, long length) {}

  private Packs() {}

  /** The bytes of the index of a pack holding {@code members}, in pack order. */
  public static byte[] writeIndex(List<Member> members) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Member m : members) {
      sb.append(m.sha256(), 0, PREFIX_HEX).append(' ').append(m.length()).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads the index {@code bytes} of {@code pack}, already checked against its size and SHA-256:
   * where each object lies, by its name prefix. A prefix listed twice names neither (those objects
   * are fetched one by one).
   *
   * @throws VerificationException when it is not an index of {@code pack}: another first line, a
   *     malformed line, another number of objects than listed, lengths that do not add up to the
   *     pack's size
   */
  public static Map<String, Location> readIndex(PackRef pack, byte[] bytes)
      throws VerificationException {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (!text.startsWith(HEADER + "\n") || !text.endsWith("\n")) {
      throw new VerificationException("the index of " + pack.location() + " does not start with '"
          + HEADER + "' or does not end with a line break");
    }
    String[] lines = text.substring(HEADER.length() + 1).split("\n", -1);
    int count = lines.length - 1;
    if (count != pack.objects()) {
      throw new VerificationException("the index of " + pack.location() + " lists " + count
          + " objects, not the " + pack.objects() + " the manifest's root lists");
    }
    Map<String, Location> located = new HashMap<>();
    Set<String> ambiguous = new HashSet<>();
    long offset = 0;
    for (int i = 0; i < count; i++) {
      String line = lines[i];
      if (!LINE.matcher(line).matches()) {
        throw new VerificationException("line " + (i + 2) + " of the index of " + pack.location()
            + " is not '<16 hex digits> <length>'");
      }
      long length = Long.parseLong(line.substring(PREFIX_HEX + 1));
      if (length > pack.bytes() - offset) {
        throw new VerificationException("line " + (i + 2) + " of the index of "
            + pack.location() + " runs past the pack's " + pack.bytes() + " bytes");
      }
      String prefix = line.substring(0, PREFIX_HEX);
      if (located.put(prefix, new Location(pack, offset, length)) != null) {
        ambiguous.add(prefix);
      }
      offset += length;
    }
    if (offset != pack.bytes()) {
      throw new VerificationException("the objects the index of " + pack.location() + " lists "
          + "hold " + offset + " bytes, not the pack's " + pack.bytes());
    }
    located.keySet().removeAll(ambiguous);
    return located;
  }

  /** The prefix an index names the object {@code sha256} by. */
  public static String prefix(String sha256) {
    return sha256.substring(0, PREFIX_HEX);
  }

  /**
   * Reads the optional {@code packs} of a root: at most {@value #MAX_LISTED}, each with a
   * version, an index SHA-256 and size, and positive counts.
   *
   * @throws VerificationException when a field is missing or has the wrong type or range
   */
  static List<PackRef> readRefs(JsonNode root) throws VerificationException {
    JsonNode list = root.get("packs");
    if (list == null) {
      return List.of();
    }
    if (!list.isArray() || list.size() > MAX_LISTED) {
      throw new VerificationException("the manifest's packs must be an array of at most "
          + MAX_LISTED);
    }
    List<PackRef> refs = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "packs[" + i + "]";
      JsonNode node = list.get(i);
      if (node == null || !node.isObject()) {
        throw new VerificationException(at + " must be an object");
      }
      Version version;
      try {
        version = Version.parse(ManifestJson.text(node, at, "version"));
      } catch (IllegalArgumentException e) {
        throw new VerificationException(at + ".version: " + e.getMessage(), e);
      }
      String index = ManifestJson.text(node, at, "index");
      if (!HashSyntax.isSha256(index)) {
        throw new VerificationException(at + ".index must be 64 lower-case hex digits");
      }
      long size = positive(node, at, "size", MAX_INDEX_BYTES);
      long objects = positive(node, at, "objects", Integer.MAX_VALUE);
      long bytes = positive(node, at, "bytes", Long.MAX_VALUE);
      refs.add(new PackRef(version, index, size, (int) objects, bytes));
    }
    return refs;
  }

  private static long positive(JsonNode node, String at, String field, long max)
      throws VerificationException {
    JsonNode value = node.get(field);
    if (value == null || !(value.isInt() || value.isLong()) || value.longValue() < 1
        || value.longValue() > max) {
      throw new VerificationException(at + "." + field + " must be an integer from 1 to " + max);
    }
    return value.longValue();
  }

  /** Appends {@code refs} as the {@code packs} field of a root (nothing when there are none). */
  static void appendRefs(StringBuilder sb, List<PackRef> refs) {
    if (refs.isEmpty()) {
      return;
    }
    sb.append(",\n  \"packs\": [");
    for (int i = 0; i < refs.size(); i++) {
      PackRef r = refs.get(i);
      String node = ManifestJson.object().put("version", r.version().toString())
          .put("index", r.index()).put("size", r.size()).put("objects", r.objects())
          .put("bytes", r.bytes()).toString();
      sb.append(i == 0 ? "\n    " : ",\n    ").append(node);
    }
    sb.append("\n  ]");
  }
}
