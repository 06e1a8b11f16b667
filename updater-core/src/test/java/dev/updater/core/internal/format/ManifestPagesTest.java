package dev.updater.core.internal.format;

import dev.updater.core.internal.ReleaseManifests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.internal.format.FileManifest.Entry;
import dev.updater.core.internal.format.FileManifest.Type;
import dev.updater.core.internal.format.ManifestPages.Page;
import dev.updater.core.internal.format.ManifestPages.PageRef;
import dev.updater.core.spi.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The paged manifest (format 2): content-defined page boundaries that stay put when a path is
 * added or removed, deterministic bytes, and a reader that refuses pages out of order,
 * overlapping, miscounted or not the bytes the root lists.
 */
class ManifestPagesTest {
  private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final ManifestJson.Limits LIMITS =
      ReleaseManifests.limits(ArchiveStager.defaults());

  /** A tree of 40 directories of 60 files each: 2,440 entries, some 40 pages. */
  private static List<Entry> tree() {
    List<Entry> entries = new ArrayList<>();
    for (int d = 0; d < 40; d++) {
      String dir = String.format("lib/%02d", d);
      entries.add(new Entry(dir, Type.DIRECTORY, 0755, 0, "", ""));
      for (int f = 0; f < 60; f++) {
        entries.add(new Entry(dir + "/file-" + f + ".bin", Type.FILE, 0644, f, SHA, ""));
      }
    }
    entries.add(new Entry("lib", Type.DIRECTORY, 0755, 0, "", ""));
    return entries;
  }

  private static Set<String> pageHashes(List<Entry> entries) {
    return ManifestPages.write(new FileManifest(entries)).pages().stream()
        .map(p -> p.ref().sha256()).collect(Collectors.toSet());
  }

  private static int changed(Set<String> before, Set<String> after) {
    Set<String> added = new HashSet<>(after);
    added.removeAll(before);
    Set<String> removed = new HashSet<>(before);
    removed.removeAll(after);
    return Math.max(added.size(), removed.size());
  }

  @Test
  void shouldChangeAtMostTwoPagesWhenOneFileIsInserted() {
    List<Entry> base = tree();
    Set<String> before = pageHashes(base);
    assertThat(before).as("enough pages for a shift to show").hasSizeGreaterThan(20);
    int boundaries = 0;
    for (int i = 0; i < 200; i++) {
      String path = String.format("lib/%02d", i % 40) + "/inserted-" + i + ".txt";
      boundaries += ManifestPages.isBoundary(path) ? 1 : 0;
      List<Entry> with = new ArrayList<>(base);
      with.add(new Entry(path, Type.FILE, 0644, 1, SHA, ""));

      assertThat(changed(before, pageHashes(with))).as("inserting %s", path).isBetween(1, 2);
    }
    assertThat(boundaries).as("some inserted paths end a page themselves").isPositive();
  }

  @Test
  void shouldChangeAtMostTwoPagesWhenOneFileIsRemoved() {
    List<Entry> base = tree();
    Set<String> before = pageHashes(base);
    for (int i = 0; i < base.size(); i += 7) {
      if (base.get(i).type() != Type.FILE) {
        continue;
      }
      List<Entry> without = new ArrayList<>(base);
      Entry removed = without.remove(i);

      assertThat(changed(before, pageHashes(without))).as("removing %s", removed.path())
          .isBetween(1, 2);
    }
  }

  @Test
  void shouldChangeOnlyThePageOfAFileWhoseContentChanged() {
    List<Entry> base = tree();
    List<Entry> edited = new ArrayList<>(base);
    Entry old = edited.get(100);
    edited.set(100, new Entry(old.path(), old.type(), old.mode(), 99, "ab".repeat(32), ""));

    assertThat(changed(pageHashes(base), pageHashes(edited))).isEqualTo(1);
  }

  @Test
  void shouldEndEachPageAtABoundaryOrAtTheEntryCap() {
    List<Entry> entries = tree();
    for (int i = 0; entries.size() < 3_000; i++) { // a long run without a boundary
      String path = "run/x" + i;
      if (!ManifestPages.isBoundary(path)) {
        entries.add(new Entry(path, Type.FILE, 0644, 0, SHA, ""));
      }
    }
    entries.add(new Entry("run", Type.DIRECTORY, 0755, 0, "", ""));

    List<List<Entry>> pages = ManifestPages.split(new FileManifest(entries));

    assertThat(pages).allSatisfy(p -> assertThat(p).hasSizeBetween(1,
        ManifestPages.MAX_PAGE_ENTRIES));
    assertThat(pages).anySatisfy(p -> assertThat(p).hasSize(ManifestPages.MAX_PAGE_ENTRIES));
    for (List<Entry> page : pages.subList(0, pages.size() - 1)) {
      assertThat(ManifestPages.isBoundary(page.get(page.size() - 1).path())
          || page.size() == ManifestPages.MAX_PAGE_ENTRIES).isTrue();
    }
  }

  @Test
  void shouldWriteTheSameBytesForTheSameEntriesInAnyOrder() {
    List<Entry> entries = tree();
    List<Entry> reversed = new ArrayList<>(entries);
    java.util.Collections.reverse(reversed);

    ManifestPages.Written a = ManifestPages.write(new FileManifest(entries));
    ManifestPages.Written b = ManifestPages.write(new FileManifest(reversed));

    assertThat(a.root()).isEqualTo(b.root());
    assertThat(a.pages()).extracting(Page::ref).isEqualTo(b.pages().stream().map(Page::ref)
        .toList());
    assertThat(new String(a.root(), StandardCharsets.UTF_8))
        .startsWith("{\n  \"format\": 3,\n  \"pages\": [\n    {\"sha256\":\"");
  }

  @Test
  void shouldReadBackWhatItWrites() throws VerificationException {
    FileManifest manifest = new FileManifest(tree());
    ManifestPages.Written written = ManifestPages.write(manifest);

    ManifestJson.Paged root = (ManifestJson.Paged) ManifestJson.parse(written.root(), LIMITS)
        .orElseThrow();

    assertThat(root.pages()).extracting(PageRef::entries).allSatisfy(n -> assertThat(n)
        .isPositive());
    assertThat(root.pages().stream().mapToInt(PageRef::entries).sum()).isEqualTo(manifest.size());
    assertThat(ManifestPages.assemble(root, bytes(written), LIMITS).entries())
        .isEqualTo(manifest.entries());
  }

  @Test
  void shouldReuseParsedPagesButStillVerifyAndOrderThem() throws VerificationException {
    ManifestPages.Written written = ManifestPages.write(new FileManifest(tree()));
    ManifestJson.Paged root = (ManifestJson.Paged) ManifestJson.parse(written.root(), LIMITS)
        .orElseThrow();
    Map<String, List<Entry>> parsed = new HashMap<>();
    FileManifest first = ManifestPages.assemble(root, bytes(written), LIMITS, parsed);
    assertThat(parsed).hasSize(root.pages().size());

    assertThat(ManifestPages.assemble(root, bytes(written), LIMITS, parsed).entries())
        .isEqualTo(first.entries());
    Map<String, byte[]> tampered = bytes(written);
    PageRef page = root.pages().get(3);
    byte[] other = tampered.get(page.sha256()).clone();
    other[other.length / 2] ^= 1;
    tampered.put(page.sha256(), other);
    assertThatThrownBy(() -> ManifestPages.assemble(root, tampered, LIMITS, parsed))
        .hasMessageContaining("pages[3] (" + page.sha256() + ") hashes to");
    List<PageRef> swapped = new ArrayList<>(root.pages());
    java.util.Collections.swap(swapped, 1, 2);
    assertThatThrownBy(() -> ManifestPages.assemble(new ManifestJson.Paged(swapped),
        bytes(written), LIMITS, parsed)).hasMessageContaining("pages[2] starts with");
  }

  @Test
  void shouldOrderPathsByCodePoint() {
    assertThat(ManifestPages.comparePaths("a", "a/b")).isNegative();
    assertThat(ManifestPages.comparePaths("a-b", "a/b")).isNegative();
    assertThat(ManifestPages.comparePaths("\uFFFD", "\uD83D\uDE00")).as("U+FFFD < U+1F600")
        .isNegative();
    assertThat("\uFFFD".compareTo("\uD83D\uDE00")).as("unlike UTF-16 order").isPositive();
  }

  // --- refusals -------------------------------------------------------------------------------

  private static String file(String path) {
    return "{\"path\":\"" + path + "\",\"type\":\"file\",\"mode\":\"0644\",\"size\":4,"
        + "\"sha256\":\"" + SHA + "\"}";
  }

  private static byte[] page(String... entries) {
    return ("{\"format\":3,\"entries\":[" + String.join(",", entries) + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static PageRef ref(byte[] page, int entries) {
    return new PageRef(ManifestPages.sha256(page), page.length, entries);
  }

  private static FileManifest assemble(List<PageRef> refs, byte[]... pages)
      throws VerificationException {
    Map<String, byte[]> bySha = new HashMap<>();
    for (byte[] p : pages) {
      bySha.put(ManifestPages.sha256(p), p);
    }
    byte[] root = ManifestPages.writeRoot(refs);
    ManifestJson.Paged paged = (ManifestJson.Paged) ManifestJson.parse(root, LIMITS)
        .orElseThrow();
    return ManifestPages.assemble(paged, bySha, LIMITS);
  }

  private static Map<String, byte[]> bytes(ManifestPages.Written written) {
    Map<String, byte[]> map = new HashMap<>();
    written.pages().forEach(p -> map.put(p.ref().sha256(), p.bytes()));
    return map;
  }

  @Test
  void shouldRefusePagesOutOfOrder() {
    byte[] first = page(file("a"), file("b"));
    byte[] second = page(file("c"));

    assertThatThrownBy(() -> assemble(List.of(ref(second, 1), ref(first, 2)), first, second))
        .isInstanceOf(VerificationException.class)
        .hasMessage("pages[1] starts with 'a', which does not come after 'c', the last path of "
            + "pages[0]: the pages must follow each other in path order without overlapping");
  }

  @Test
  void shouldRefuseOverlappingPages() {
    byte[] first = page(file("a"), file("c"));
    byte[] second = page(file("b"), file("d"));

    assertThatThrownBy(() -> assemble(List.of(ref(first, 2), ref(second, 2)), first, second))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("pages[1] starts with 'b', which does not come after 'c'");
  }

  @Test
  void shouldRefuseTheSamePageListedTwice() {
    byte[] only = page(file("a"));

    assertThatThrownBy(() -> assemble(List.of(ref(only, 1), ref(only, 1)), only))
        .hasMessageContaining("pages[1] starts with 'a', which does not come after 'a'");
  }

  @Test
  void shouldRefuseAPageWhoseEntriesAreNotSorted() {
    byte[] unsorted = page(file("b"), file("a"));

    assertThatThrownBy(() -> assemble(List.of(ref(unsorted, 2)), unsorted))
        .hasMessage("pages[0].entries[1].path 'a' does not come after 'b': the entries of a page "
            + "must be sorted by path, each listed once");
  }

  @Test
  void shouldRefuseAPageHoldingAnotherCountThanTheRootLists() {
    byte[] two = page(file("a"), file("b"));

    assertThatThrownBy(() -> assemble(List.of(ref(two, 3)), two))
        .hasMessage("pages[0] holds 2 entries but the manifest's root lists 3");
  }

  @Test
  void shouldRefuseAPageThatIsNotTheListedBytesBeforeParsingIt() {
    byte[] good = page(file("a"));
    byte[] other = page(file("b"));
    PageRef listed = ref(good, 1);
    Map<String, byte[]> swapped = Map.of(listed.sha256(), other);
    byte[] garbage = "not json at all!!!".getBytes(StandardCharsets.UTF_8);
    PageRef sameSize = new PageRef(listed.sha256(), garbage.length, 1);

    assertThatThrownBy(() -> ManifestPages.assemble(new ManifestJson.Paged(List.of(listed)),
        swapped, LIMITS)).hasMessageContaining("pages[0] (" + listed.sha256() + ") hashes to "
            + ManifestPages.sha256(other));
    assertThatThrownBy(() -> ManifestPages.assemble(new ManifestJson.Paged(List.of(sameSize)),
        Map.of(listed.sha256(), garbage), LIMITS)).hasMessageContaining("hashes to")
        .hasMessageNotContaining("JSON");
    assertThatThrownBy(() -> ManifestPages.assemble(new ManifestJson.Paged(List.of(
        new PageRef(listed.sha256(), good.length + 1, 1))), Map.of(listed.sha256(), good),
        LIMITS)).hasMessageContaining("is " + good.length + " bytes, not the "
            + (good.length + 1));
  }

  @Test
  void shouldRefuseAMissingPage() {
    byte[] good = page(file("a"));

    assertThatThrownBy(() -> ManifestPages.assemble(new ManifestJson.Paged(List.of(ref(good, 1))),
        Map.of(), LIMITS)).hasMessageContaining("pages[0] (" + ManifestPages.sha256(good)
            + ") is missing");
  }

  @Test
  void shouldCheckEveryEntryAndTheWholeAsStrictlyAsFormatOne() {
    byte[] traversal = page(file("a/../../etc/passwd"));
    byte[] upper = page(file("README"));
    byte[] lower = page(file("readme"));
    byte[] orphan = page(file("missing/b"));
    byte[] oldFormat = ("{\"format\":1,\"entries\":[" + file("a") + "]}")
        .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> assemble(List.of(ref(traversal, 1)), traversal))
        .hasMessageContaining("pages[0].entries[0].path is refused").hasMessageContaining("'..'");
    assertThatThrownBy(() -> assemble(List.of(ref(upper, 1), ref(lower, 1)), upper, lower))
        .hasMessageContaining("pages[1].entries[0].path 'readme' collides with 'README'");
    assertThatThrownBy(() -> assemble(List.of(ref(orphan, 1)), orphan))
        .hasMessageContaining("which is not a directory");
    assertThatThrownBy(() -> assemble(List.of(ref(oldFormat, 1)), oldFormat))
        .hasMessage("pages[0].format must be 3, the root's");
  }

  @Test
  void shouldRefuseARootBeyondTheCaps() {
    String sha = "ab".repeat(32);
    ManifestJson.Limits two = new ManifestJson.Limits(2, 100, 64, 1024);

    assertThatThrownBy(() -> root("{\"sha256\":\"" + sha + "\",\"size\":10,\"entries\":3}", two))
        .hasMessageContaining("more than the 2 entries the stager accepts (maxEntries)");
    assertThatThrownBy(() -> root(("{\"sha256\":\"" + sha + "\",\"size\":1,\"entries\":1},")
        .repeat(2) + "{\"sha256\":\"" + sha + "\",\"size\":1,\"entries\":1}", two))
        .hasMessageContaining("lists 3 pages");
    assertThatThrownBy(() -> root("{\"sha256\":\"" + sha + "\",\"size\":"
        + (ManifestPages.MAX_PAGE_BYTES + 1) + ",\"entries\":1}", LIMITS))
        .hasMessageContaining("pages[0].size must be an integer from 1 to 16777216");
    String big = "{\"sha256\":\"" + sha + "\",\"size\":" + ManifestPages.MAX_PAGE_BYTES
        + ",\"entries\":1}";
    assertThatThrownBy(() -> root((big + ",").repeat(4) + big, LIMITS))
        .hasMessageContaining("hold more than the 67108864 bytes");
    assertThatThrownBy(() -> root("{\"sha256\":\"" + sha.toUpperCase() + "\",\"size\":1,"
        + "\"entries\":1}", LIMITS)).hasMessage("pages[0].sha256 must be 64 lower-case hex digits");
    assertThatThrownBy(() -> root("{\"sha256\":\"" + sha + "\",\"size\":1,\"entries\":0}",
        LIMITS)).hasMessage("pages[0].entries must be a positive integer");
  }

  @Test
  void shouldSkipANewerFormat() throws VerificationException {
    assertThat(ManifestJson.parse("{\"format\": 4, \"pages\": 7}".getBytes(StandardCharsets.UTF_8),
        LIMITS)).isEmpty();
  }

  private static ManifestJson.Document root(String pages, ManifestJson.Limits limits)
      throws VerificationException {
    return ManifestJson.parse(("{\"format\":3,\"pages\":[" + pages + "]}")
        .getBytes(StandardCharsets.UTF_8), limits).orElseThrow();
  }
}
