package dev.updater.core.internal.format;

import dev.updater.core.internal.archive.EntryNames;
import dev.updater.core.internal.archive.Modes;
import dev.updater.core.internal.archive.Rejections;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.VerificationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes the per-file manifest of a release ({@code docs/repository.md}): format 1, one
 * document listing every entry, and the entries of formats 2 and 3 (which adds the chunks of
 * files), whose pages {@link ManifestPages} splits and assembles. Reading is as strict as for
 * the index ({@link MetadataJson}): UTF-8 without a byte-order mark, one JSON object, no repeated
 * key, no coerced type; unknown fields are ignored. Every path is checked with the archive
 * stager's rules ({@link EntryNames}): relative, no {@code ..}, no absolute or drive path, no
 * backslash or NUL, no two names that collide by case or Unicode normalisation, every parent a
 * directory of the manifest (so nothing lies under a link), link targets that do not climb out of
 * the release, modes the stager would write, and the stager's caps on entries, bytes, depth and
 * length. A file's chunks (format 3) must add up to its size. Not API.
 *
 * <pre>{@code
 * ManifestJson.Document doc = ManifestJson.parse(bytes, limits).orElseThrow();
 * FileManifest manifest = doc instanceof ManifestJson.Whole whole ? whole.manifest() // format 1
 *     : ManifestPages.assemble((ManifestJson.Paged) doc, pagesBySha256, limits);    // format 2
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ManifestJson {
  /**
   * The largest manifest accepted: 64 MiB, room for several hundred thousand paths. It caps a
   * format-1 manifest, the root of a paged one, and the sum of the pages of a paged one.
   */
  public static final long MAX_MANIFEST_BYTES = 64L * 1024 * 1024;

  private static final Pattern MODE = Pattern.compile("0[0-7]{3}");

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .build();

  /** The stager's caps a manifest must respect. */
  public record Limits(int maxEntries, long maxTotalBytes, int maxDepth, int maxPathLength) {}

  /** What the manifest file a release names holds: a whole manifest, or the root of a paged one. */
  public sealed interface Document permits Whole, Paged {}

  /** A format-1 manifest: every entry in one document, checked. */
  public record Whole(FileManifest manifest) implements Document {}

  /**
   * The root of a paged manifest: its pages in path order, each named by the size and SHA-256 of
   * its bytes, with the number of entries it holds (checked against the caps already), its
   * format (2, or 3 whose objects are compressed and whose files may list chunks), and the packs
   * its objects may be read from ({@link Packs}, format 3 only).
   */
  public record Paged(List<ManifestPages.PageRef> pages, int format, List<Packs.PackRef> packs)
      implements Document {
    public Paged {
      pages = List.copyOf(pages);
      packs = List.copyOf(packs);
    }

    /** The root of {@code format} listing {@code pages} and no packs. */
    public Paged(List<ManifestPages.PageRef> pages, int format) {
      this(pages, format, List.of());
    }

    /** The root of a manifest of the current format listing {@code pages}. */
    public Paged(List<ManifestPages.PageRef> pages) {
      this(pages, ManifestPages.FORMAT);
    }

    /** True when the objects this manifest names are stored compressed (format 3). */
    public boolean compressed() {
      return format >= ManifestPages.FORMAT;
    }
  }

  private ManifestJson() {}

  /**
   * Renders {@code manifest} as a format-1 manifest, UTF-8 JSON with one entry per line, sorted by
   * path. {@code publish} writes format 2 ({@link ManifestPages}); format 1 stays for the tests of
   * older repositories.
   */
  public static byte[] write(FileManifest manifest) {
    return document(1, manifest.entries());
  }

  /** A document {@code {"format": N, "entries": [...]}} of {@code entries} in the given order. */
  static byte[] document(int format, List<Entry> entries) {
    StringBuilder sb = new StringBuilder("{\n  \"format\": ").append(format)
        .append(",\n  \"entries\": [");
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      ObjectNode node = object();
      node.put("path", e.path());
      node.put("type", e.type().name().toLowerCase(Locale.ROOT));
      switch (e.type()) {
        case DIRECTORY -> node.put("mode", String.format("%04o", e.mode()));
        case FILE -> {
          node.put("mode", String.format("%04o", e.mode())).put("size", e.size())
              .put("sha256", e.sha256());
          if (format >= ManifestPages.FORMAT && !e.chunks().isEmpty()) {
            var chunks = node.putArray("chunks");
            e.chunks().forEach(c -> chunks.add(c.sha256() + ":" + c.size()));
          }
        }
        case SYMLINK -> node.put("target", e.target());
        default -> throw new IllegalStateException(e.type().toString());
      }
      sb.append(i == 0 ? "\n    " : ",\n    ").append(node.toString());
    }
    sb.append(entries.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses and checks the manifest file a release names.
   *
   * @return a whole manifest (format 1) or the root of a paged one (formats 2 and 3, see {@link
   *     ManifestPages}); empty when it has a newer {@code format} than this version reads (the
   *     release is then installed from its archive, without a per-file check)
   * @throws VerificationException when the bytes are not a valid manifest; the message names the
   *     offending entry
   */
  public static Optional<Document> parse(byte[] json, Limits limits)
      throws VerificationException {
    Objects.requireNonNull(json, "json");
    JsonNode root = parse(json, "the manifest");
    JsonNode format = root.get("format");
    if (format == null || !format.isInt() || format.intValue() < 1) {
      throw new VerificationException("the manifest's format must be a positive integer");
    }
    if (format.intValue() > ManifestPages.FORMAT) {
      return Optional.empty();
    }
    if (format.intValue() >= ManifestPages.PAGED_FORMAT) {
      return Optional.of(ManifestPages.readRoot(root, limits, format.intValue()));
    }
    JsonNode list = root.get("entries");
    if (list == null || !list.isArray()) {
      throw new VerificationException("the manifest's entries must be an array");
    }
    if (list.size() > limits.maxEntries()) {
      throw new VerificationException("the manifest lists " + list.size() + " entries, more than "
          + "the " + limits.maxEntries() + " the stager accepts (maxEntries)");
    }
    EntryNames names = names(limits);
    List<Entry> entries = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      entries.add(entry(list.get(i), "entries[" + i + "]", names, false));
    }
    return Optional.of(new Whole(check(entries, limits, i -> "entries[" + i + "]")));
  }

  /** Names the entry at an index of the whole list, for messages. */
  interface Locator {
    String at(int index);
  }

  /** The path checker for {@code limits}. */
  static EntryNames names(Limits limits) {
    return new EntryNames(limits.maxDepth(), limits.maxPathLength());
  }

  /**
   * The checks on a whole list of parsed entries: no path twice, no two that collide by case or
   * normalisation, no more entries or bytes than the caps, every parent a listed directory.
   *
   * @param where names the entry at an index of {@code entries} in messages
   */
  static FileManifest check(List<Entry> entries, Limits limits, Locator where)
      throws VerificationException {
    if (entries.size() > limits.maxEntries()) {
      throw new VerificationException("the manifest lists " + entries.size() + " entries, more "
          + "than the " + limits.maxEntries() + " the stager accepts (maxEntries)");
    }
    Map<String, String> keys = new HashMap<>();
    long total = 0;
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      String earlier = keys.putIfAbsent(EntryNames.collisionKey(entry.path()), entry.path());
      if (earlier != null) {
        throw new VerificationException(where.at(i) + ".path '" + Rejections.printable(entry.path())
            + "' " + (earlier.equals(entry.path()) ? "is listed twice"
                : "collides with '" + Rejections.printable(earlier)
                    + "' (the names differ only in case or Unicode normalisation)"));
      }
      total += entry.size();
      if (total > limits.maxTotalBytes()) {
        throw new VerificationException("the manifest's files hold more than the "
            + limits.maxTotalBytes() + " bytes the stager accepts (maxTotalBytes)");
      }
    }
    FileManifest manifest = new FileManifest(entries);
    for (Entry e : manifest.entries()) {
      String parent = e.parent();
      if (!parent.isEmpty() && manifest.get(parent).map(Entry::type).orElse(null)
          != Type.DIRECTORY) {
        throw new VerificationException("the manifest's path '" + Rejections.printable(e.path())
            + "' lies under '" + Rejections.printable(parent) + "', which is not a directory of "
            + "the manifest (nothing may be reached through a link or a file)");
      }
    }
    return manifest;
  }

  /**
   * Parses and checks one entry object; {@code at} names it in messages. A file's {@code chunks}
   * are read when {@code chunked} (format 3), and must then add up to its size.
   */
  static Entry entry(JsonNode node, String at, EntryNames names, boolean chunked)
      throws VerificationException {
    if (node == null || !node.isObject()) {
      throw new VerificationException(at + " must be an object");
    }
    String raw = text(node, at, "path");
    String path;
    try {
      path = names.entry(raw);
      if (path.equals(EntryNames.ROOT) || !path.equals(raw)) {
        throw new VerificationException(at + ".path '" + Rejections.printable(raw)
            + "' is not a normalised relative path (no leading './', trailing '/' or root)");
      }
    } catch (RejectedArchiveException e) {
      throw new VerificationException(at + ".path is refused: " + e.getMessage(), e);
    }
    String type = text(node, at, "type");
    switch (type) {
      case "directory": {
        int mode = mode(node, at);
        if (mode != Modes.directory(mode)) {
          throw new VerificationException(at + ".mode " + String.format("%04o", mode) + " of a "
              + "directory is not one the stager writes (owner rwx, no group/other write)");
        }
        return Entry.directory(path, mode);
      }
      case "file": {
        int mode = mode(node, at);
        if (mode != Modes.file(mode)) {
          throw new VerificationException(at + ".mode " + String.format("%04o", mode)
              + " of a file is not one the stager writes (owner read/write, no group/other write)");
        }
        JsonNode size = node.get("size");
        if (size == null || !(size.isInt() || size.isLong()) || size.longValue() < 0) {
          throw new VerificationException(at + ".size must be a non-negative integer");
        }
        String sha256 = text(node, at, "sha256");
        if (!HashSyntax.isSha256(sha256)) {
          throw new VerificationException(at + ".sha256 must be 64 lower-case hex digits");
        }
        Entry file = Entry.file(path, mode, size.longValue(), sha256);
        return chunked && node.has("chunks") ? file.withChunks(chunks(node.get("chunks"), at,
            size.longValue())) : file;
      }
      case "symlink": {
        String target = text(node, at, "target");
        try {
          names.symlinkTarget(raw, path, target);
        } catch (RejectedArchiveException e) {
          throw new VerificationException(at + ".target is refused: " + e.getMessage(), e);
        }
        return Entry.symlink(path, target);
      }
      default:
        throw new VerificationException(at + ".type '" + Rejections.printable(type)
            + "' is not directory, file or symlink");
    }
  }

  /** The chunks of a file of {@code size} bytes: strings {@code <sha256>:<size>} adding up. */
  private static List<Chunking.Chunk> chunks(JsonNode list, String at, long size)
      throws VerificationException {
    if (!list.isArray() || list.size() < 2 || list.size() > size) {
      throw new VerificationException(at + ".chunks must be an array of 2 to " + size
          + " chunks (one per byte at most)");
    }
    List<Chunking.Chunk> chunks = new ArrayList<>(list.size());
    long total = 0;
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      String text = item.isTextual() ? item.textValue() : "";
      if (!HashSyntax.isChunk(text)) {
        throw new VerificationException(at + ".chunks[" + i + "] must be '<sha256>:<size>', 64 "
            + "lower-case hex digits, a colon and a positive decimal size");
      }
      long length = Long.parseLong(text.substring(65));
      total += length;
      if (length < 1 || total > size) {
        throw new VerificationException(at + ".chunks add up to more than the file's " + size
            + " bytes");
      }
      chunks.add(new Chunking.Chunk(text.substring(0, 64), length));
    }
    if (total != size) {
      throw new VerificationException(at + ".chunks add up to " + total + " bytes, not the "
          + "file's " + size);
    }
    return chunks;
  }

  private static int mode(JsonNode node, String at) throws VerificationException {
    String text = text(node, at, "mode");
    if (!MODE.matcher(text).matches()) {
      throw new VerificationException(at + ".mode '" + Rejections.printable(text)
          + "' must be four octal digits starting with 0, such as 0644");
    }
    return Integer.parseInt(text, 8);
  }

  static String text(JsonNode node, String at, String field) throws VerificationException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new VerificationException(at + "." + field + " must be a string");
    }
    return value.textValue();
  }

  /** A fresh JSON object node, for writers. */
  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Parses {@code json} as one strict JSON object; {@code what} names the document in messages
   * ("the manifest", "pages[3]").
   */
  static JsonNode parse(byte[] json, String what) throws VerificationException {
    if (json.length >= 3 && (json[0] & 0xff) == 0xEF && (json[1] & 0xff) == 0xBB
        && (json[2] & 0xff) == 0xBF) {
      throw new VerificationException(what + " starts with a UTF-8 byte-order mark");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json)).toString();
    } catch (CharacterCodingException e) {
      throw new VerificationException(what + " is not valid UTF-8: " + e.getMessage(), e);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new VerificationException(what + " is not valid strict JSON: "
          + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new VerificationException(what + " must be a JSON object");
    }
    return root;
  }
}
