package dev.updater.core.internal.format;

import dev.updater.core.internal.archive.EntryNames;
import dev.updater.core.internal.archive.Rejections;
import dev.updater.core.repository.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.spi.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Format 2 of the per-file manifest, paged and content-addressed like a git tree: the entries,
 * sorted by path, are split into pages, each page is a JSON document stored in the repository's
 * {@code objects/} under the SHA-256 of its bytes, and the manifest the signed index names (the
 * root) lists the pages by size and SHA-256. A release that changes one file changes one page, so
 * a client that keeps the pages of its live release fetches the root and that page only; releases
 * share their unchanged pages in the repository. The format is in {@code docs/repository.md}. Not
 * API.
 *
 * <p>Page boundaries are content-defined, so inserting or removing a path changes only the page
 * around it (two pages at most when the new path itself ends a page): a page ends after an entry
 * whose path is a <em>boundary</em> ({@link #isBoundary}: the first four bytes of the SHA-256 of
 * its UTF-8 bytes, read as an unsigned big-endian integer, are divisible by {@value
 * #BOUNDARY_MODULUS}), or when it holds {@value #MAX_PAGE_ENTRIES} entries. Pages then hold 64
 * entries on average (some 10 KB of JSON). The same entries always give the same bytes.
 *
 * <pre>{@code
 * ManifestPages.Written written = ManifestPages.write(manifest);    // publisher: root + pages
 * ManifestJson.Paged root = (ManifestJson.Paged) ManifestJson.parse(rootBytes, limits).get();
 * FileManifest whole = ManifestPages.assemble(root, pagesBySha256, limits); // client
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ManifestPages {
  /**
   * The format number of the paged manifests written now, of their roots and of each of their
   * pages: format 3, whose files may list their chunks ({@link Chunking}) and whose objects are
   * stored compressed ({@link ZlibObjects}).
   */
  public static final int FORMAT = 3;

  /**
   * The first paged format: format 2, whose objects are stored as they are, without chunks. Still
   * read, and written for tests of older repositories.
   */
  public static final int PAGED_FORMAT = 2;

  /** A path is a page boundary when its boundary hash is divisible by this. */
  public static final int BOUNDARY_MODULUS = 64;

  /** The most entries a page holds: a page also ends here, boundary or not. */
  public static final int MAX_PAGE_ENTRIES = 512;

  /** The largest page accepted: 16 MiB (a page is some 10 KB in practice). */
  public static final long MAX_PAGE_BYTES = 16L * 1024 * 1024;

  /**
   * The order of entries in pages and of pages in the root: by Unicode code point of the path
   * (which is also the order of their UTF-8 bytes). A parent comes before its children.
   */
  public static final Comparator<String> PATH_ORDER = ManifestPages::comparePaths;

  /**
   * One page as the root lists it.
   *
   * @param sha256 lower-case hex SHA-256 of the page's bytes, also its object name
   * @param size length of the page's bytes
   * @param entries how many entries the page holds
   */
  public record PageRef(String sha256, long size, int entries) {
    public PageRef {
      Objects.requireNonNull(sha256, "sha256");
    }
  }

  /** One written page: how the root lists it, and its bytes (not copied: do not change them). */
  public record Page(PageRef ref, byte[] bytes) {
    public Page {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** A written paged manifest: the root's bytes, and the pages in the root's order. */
  public record Written(byte[] root, List<Page> pages) {
    public Written {
      Objects.requireNonNull(root, "root");
      pages = List.copyOf(pages);
    }
  }

  private ManifestPages() {}

  /**
   * Splits {@code manifest} into pages and renders them and their root, deterministically.
   *
   * @throws IllegalArgumentException when a page would be larger than {@link #MAX_PAGE_BYTES}
   *     (paths and link targets of tens of kilobytes each), which no client would accept
   */
  public static Written write(FileManifest manifest) {
    return write(manifest, FORMAT);
  }

  /**
   * Writes like {@link #write(FileManifest)} in {@code format}, {@link #FORMAT} or {@link
   * #PAGED_FORMAT} (which leaves the chunks out).
   */
  public static Written write(FileManifest manifest, int format) {
    if (format != FORMAT && format != PAGED_FORMAT) {
      throw new IllegalArgumentException("no paged format " + format);
    }
    List<Page> pages = new ArrayList<>();
    for (List<Entry> entries : split(manifest)) {
      byte[] bytes = ManifestJson.document(format, entries);
      if (bytes.length > MAX_PAGE_BYTES) {
        throw new IllegalArgumentException("a page of the manifest would be " + bytes.length
            + " bytes, more than the " + MAX_PAGE_BYTES + " clients accept; its paths or link "
            + "targets are too long");
      }
      pages.add(new Page(new PageRef(sha256(bytes), bytes.length, entries.size()), bytes));
    }
    return new Written(writeRoot(pages.stream().map(Page::ref).toList(), format), pages);
  }

  /** The entries of {@code manifest} in {@link #PATH_ORDER}, cut at the page boundaries. */
  static List<List<Entry>> split(FileManifest manifest) {
    List<Entry> sorted = new ArrayList<>(manifest.entries());
    sorted.sort(Comparator.comparing(Entry::path, PATH_ORDER));
    List<List<Entry>> pages = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    for (Entry e : sorted) {
      current.add(e);
      if (isBoundary(e.path()) || current.size() == MAX_PAGE_ENTRIES) {
        pages.add(current);
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      pages.add(current);
    }
    return pages;
  }

  /**
   * True when a page ends after {@code path}: the first four bytes of the SHA-256 of its UTF-8
   * bytes, as an unsigned big-endian integer, are divisible by {@value #BOUNDARY_MODULUS}.
   */
  static boolean isBoundary(String path) {
    byte[] d = Sha256.newDigest().digest(path.getBytes(StandardCharsets.UTF_8));
    int first = (d[0] & 0xff) << 24 | (d[1] & 0xff) << 16 | (d[2] & 0xff) << 8 | (d[3] & 0xff);
    return Integer.remainderUnsigned(first, BOUNDARY_MODULUS) == 0;
  }

  /** The root of the current format listing {@code refs}, one page per line. */
  static byte[] writeRoot(List<PageRef> refs) {
    return writeRoot(refs, FORMAT);
  }

  /** The root of {@code format} listing {@code refs}, one page per line. */
  static byte[] writeRoot(List<PageRef> refs, int format) {
    return writeRoot(refs, format, List.of());
  }

  /** The root of {@code format} listing {@code refs}, then {@code packs} ({@link Packs}). */
  public static byte[] writeRoot(List<PageRef> refs, int format, List<Packs.PackRef> packs) {
    StringBuilder sb = new StringBuilder("{\n  \"format\": ").append(format)
        .append(",\n  \"pages\": [");
    for (int i = 0; i < refs.size(); i++) {
      PageRef r = refs.get(i);
      String node = ManifestJson.object().put("sha256", r.sha256()).put("size", r.size())
          .put("entries", r.entries()).toString();
      sb.append(i == 0 ? "\n    " : ",\n    ").append(node);
    }
    sb.append(refs.isEmpty() ? "]" : "\n  ]");
    Packs.appendRefs(sb, packs);
    return sb.append("\n}\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the page list of a format-2 root, checking each reference and the caps: no more pages
   * or listed entries than {@code maxEntries}, no page larger than {@link #MAX_PAGE_BYTES}, no
   * more than {@link ManifestJson#MAX_MANIFEST_BYTES} in all.
   */
  static ManifestJson.Paged readRoot(JsonNode root, ManifestJson.Limits limits, int format)
      throws VerificationException {
    JsonNode list = root.get("pages");
    if (list == null || !list.isArray()) {
      throw new VerificationException("the manifest's pages must be an array");
    }
    if (list.size() > limits.maxEntries()) {
      throw new VerificationException("the manifest lists " + list.size() + " pages, more than "
          + "the " + limits.maxEntries() + " entries the stager accepts (maxEntries); each page "
          + "holds at least one");
    }
    List<PageRef> refs = new ArrayList<>(list.size());
    long entries = 0;
    long bytes = 0;
    for (int i = 0; i < list.size(); i++) {
      String at = "pages[" + i + "]";
      JsonNode node = list.get(i);
      if (node == null || !node.isObject()) {
        throw new VerificationException(at + " must be an object");
      }
      String sha256 = ManifestJson.text(node, at, "sha256");
      if (!HashSyntax.isSha256(sha256)) {
        throw new VerificationException(at + ".sha256 must be 64 lower-case hex digits");
      }
      JsonNode size = node.get("size");
      if (size == null || !(size.isInt() || size.isLong()) || size.longValue() < 1
          || size.longValue() > MAX_PAGE_BYTES) {
        throw new VerificationException(at + ".size must be an integer from 1 to "
            + MAX_PAGE_BYTES + " (the largest page accepted)");
      }
      JsonNode count = node.get("entries");
      if (count == null || !count.isInt() || count.intValue() < 1) {
        throw new VerificationException(at + ".entries must be a positive integer");
      }
      entries += count.intValue();
      if (entries > limits.maxEntries()) {
        throw new VerificationException("the manifest's pages list more than the "
            + limits.maxEntries() + " entries the stager accepts (maxEntries)");
      }
      bytes += size.longValue();
      if (bytes > ManifestJson.MAX_MANIFEST_BYTES) {
        throw new VerificationException("the manifest's pages hold more than the "
            + ManifestJson.MAX_MANIFEST_BYTES + " bytes accepted for a manifest");
      }
      refs.add(new PageRef(sha256, size.longValue(), count.intValue()));
    }
    return new ManifestJson.Paged(refs, format,
        format >= FORMAT ? Packs.readRefs(root) : List.of());
  }

  /**
   * Checks that {@code bytes} are the page {@code ref} names: its size, then its SHA-256.
   *
   * @param at names the page in the message, such as {@code pages[3]}
   * @throws VerificationException when they are not
   */
  public static void verify(PageRef ref, byte[] bytes, String at) throws VerificationException {
    if (bytes.length != ref.size()) {
      throw new VerificationException(at + " is " + bytes.length + " bytes, not the "
          + ref.size() + " the manifest's root lists");
    }
    String sha = sha256(bytes);
    if (!sha.equals(ref.sha256())) {
      throw new VerificationException(at + " hashes to " + sha + ", not the " + ref.sha256()
          + " the manifest's root lists");
    }
  }

  /**
   * Assembles the manifest {@code root} describes from the bytes of its pages, by SHA-256. Each
   * page is verified by size and SHA-256 before it is parsed, and parsed as strictly as a format-1
   * manifest; the entries must follow each other in strictly increasing {@link #PATH_ORDER},
   * within and across pages (no overlap), each page must hold the number of entries the root
   * lists, and the whole then passes every check of a format-1 manifest.
   *
   * @throws VerificationException naming the page and entry when anything is wrong, or a page is
   *     not in {@code pages}
   */
  public static FileManifest assemble(ManifestJson.Paged root, Map<String, byte[]> pages,
      ManifestJson.Limits limits) throws VerificationException {
    return assemble(root, pages, limits, new HashMap<>());
  }

  /**
   * Assembles like {@link #assemble(ManifestJson.Paged, Map, ManifestJson.Limits)}, taking the
   * entries of a page from {@code parsed} (by SHA-256) when an earlier assembly with the same
   * {@code limits} parsed the same page, and adding the pages it parses to it. The same bytes
   * parse to the same entries, so this only saves the work: every page is still verified against
   * the root, and the order, the counts and the whole are checked as always.
   */
  public static FileManifest assemble(ManifestJson.Paged root, Map<String, byte[]> pages,
      ManifestJson.Limits limits, Map<String, List<Entry>> parsed) throws VerificationException {
    EntryNames names = ManifestJson.names(limits);
    List<PageRef> refs = root.pages();
    int[] starts = new int[refs.size()];
    List<Entry> all = new ArrayList<>();
    String previous = null;
    for (int i = 0; i < refs.size(); i++) {
      PageRef ref = refs.get(i);
      String at = "pages[" + i + "]";
      byte[] bytes = pages.get(ref.sha256());
      if (bytes == null) {
        throw new VerificationException(at + " (" + ref.sha256() + ") is missing");
      }
      verify(ref, bytes, at + " (" + ref.sha256() + ")");
      List<Entry> entries = parsed.get(ref.sha256());
      if (entries == null) {
        entries = parsePage(bytes, at, names, root.format());
        parsed.put(ref.sha256(), entries);
      }
      if (entries.size() != ref.entries()) {
        throw new VerificationException(at + " holds " + entries.size() + " entries but the "
            + "manifest's root lists " + ref.entries());
      }
      starts[i] = all.size();
      for (int j = 0; j < entries.size(); j++) {
        Entry e = entries.get(j);
        if (previous != null && comparePaths(e.path(), previous) <= 0) {
          throw new VerificationException(j == 0
              ? at + " starts with '" + Rejections.printable(e.path()) + "', which does not "
                  + "come after '" + Rejections.printable(previous) + "', the last path of "
                  + "pages[" + (i - 1) + "]: the pages must follow each other in path order "
                  + "without overlapping"
              : at + ".entries[" + j + "].path '" + Rejections.printable(e.path())
                  + "' does not come after '" + Rejections.printable(previous) + "': the "
                  + "entries of a page must be sorted by path, each listed once");
        }
        previous = e.path();
        all.add(e);
      }
    }
    return ManifestJson.check(all, limits, index -> {
      int page = Arrays.binarySearch(starts, index); // strictly increasing: no page is empty
      if (page < 0) {
        page = -page - 2;
      }
      return "pages[" + page + "].entries[" + (index - starts[page]) + "]";
    });
  }

  /** Parses one verified page: its format and each of its entries, in the page's order. */
  private static List<Entry> parsePage(byte[] bytes, String at, EntryNames names, int expected)
      throws VerificationException {
    JsonNode doc = ManifestJson.parse(bytes, at);
    JsonNode format = doc.get("format");
    if (format == null || !format.isInt() || format.intValue() != expected) {
      throw new VerificationException(at + ".format must be " + expected + ", the root's");
    }
    JsonNode list = doc.get("entries");
    if (list == null || !list.isArray()) {
      throw new VerificationException(at + ".entries must be an array");
    }
    List<Entry> entries = new ArrayList<>(list.size());
    for (int j = 0; j < list.size(); j++) {
      entries.add(ManifestJson.entry(list.get(j), at + ".entries[" + j + "]", names,
          expected >= FORMAT));
    }
    return List.copyOf(entries);
  }

  /** Compares two paths by Unicode code point. */
  static int comparePaths(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** The lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
  }
}
