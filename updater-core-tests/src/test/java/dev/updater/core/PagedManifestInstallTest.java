package dev.updater.core;

import dev.updater.core.source.HttpReleaseSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.internal.format.ManifestPages.PageRef;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Delta installs with paged manifests (format 2) over a real HTTP server on 127.0.0.1 that counts
 * requests per path: the client keeps the pages of its live release and fetches the root, the
 * pages it lacks and the changed files only; a page that is missing or not the listed bytes makes
 * the install fall back to the archive; a kept page that went bad is fetched again; pages a signed
 * root lists out of order stop the install; whole format-1 manifests still install by delta.
 */
class PagedManifestInstallTest extends ServedRepositoryTest {

  /**
   * Ten directories of 20 small files (five pages; the files share a few contents, so that
   * publishing stays quick), and one file holding {@code changing}.
   */
  private static Consumer<RawArchives.Tar> tree(String changing) {
    return tar -> {
      for (int d = 0; d < 10; d++) {
        tar.dir("d" + d);
        for (int f = 0; f < 20; f++) {
          tar.file("d" + d + "/f" + f + ".txt", "file " + f % 3 + "\n", 0644);
        }
      }
      tar.file("d3/changing.txt", changing, 0644);
    };
  }

  private Updater updater(Path home, ReleaseSource source) {
    return Updater.builder().home(home).source(source).freeSpace(0, 3)
        .checkCacheTtl(Duration.ZERO).build();
  }

  private Updater updater(Path home) {
    return updater(home, http());
  }

  private HttpReleaseSource http() {
    return HttpReleaseSource.builder(server.baseUrl()).trustedKeys(repo.trust()).build();
  }

  /** Installs 1.0.0, publishes 1.1.0 (one file changed); returns the updater of the home. */
  private Updater installFirstPublishSecond() throws IOException {
    repo.publish("1.0.0", tree("one\n"));
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    repo.publish("1.1.0", tree("two\n"));
    return updater;
  }

  /** The pages of {@code version} that {@code earlier} does not list. */
  private List<PageRef> newPages(String version, String earlier) throws IOException {
    Set<String> old = repo.pages(earlier).stream().map(PageRef::sha256)
        .collect(Collectors.toSet());
    return repo.pages(version).stream().filter(p -> !old.contains(p.sha256())).toList();
  }

  /** The requests for anything but the channel index and its signature. */
  private Map<String, Integer> requestsBeyondTheIndex() {
    Map<String, Integer> all = new TreeMap<>(server.requests());
    all.keySet().removeIf(path -> path.startsWith("/channels/"));
    return all;
  }

  private Path keptPage(PageRef page) {
    return home.resolve(".updater/manifests/pages/" + page.sha256());
  }

  private Set<String> keptPages() throws IOException {
    try (Stream<Path> files = Files.list(home.resolve(".updater/manifests/pages"))) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private Set<String> pageNames(String... versions) throws IOException {
    Set<String> names = new HashSet<>();
    for (String v : versions) {
      repo.pages(v).forEach(p -> names.add(p.sha256()));
    }
    return names;
  }

  @Test
  void shouldFetchTheRootOnlyTheChangedPageAndTheChangedFile() throws IOException {
    Updater updater = installFirstPublishSecond();
    List<PageRef> changed = newPages("1.1.0", "1.0.0");
    assertThat(repo.pages("1.1.0")).as("a tree of several pages").hasSizeGreaterThan(3);
    assertThat(changed).as("one file changed: one page changed").hasSize(1);
    Release second = updater.check().orElseThrow();
    server.resetCounts();

    updater.install(second);

    assertThat(requestsBeyondTheIndex()).isEqualTo(Map.of(
        "/releases/1.1.0/manifest.json", 1,
        DeltaRepository.pageUrl(changed.get(0)), 1,
        repo.objectUrl("two\n"), 1));
    assertThat(home.resolve("current/d3/changing.txt")).hasContent("two");
  }

  @Test
  void shouldKeepThePagesOfTheKeptManifestsAndForgetTheOthers() throws IOException {
    Updater updater = installFirstPublishSecond();
    assertThat(keptPages()).isEqualTo(pageNames("1.0.0"));
    for (String dir : List.of(".updater/manifests", ".updater/manifests/pages")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(dir))))
          .as("%s is private", dir).isEqualTo("rwx------");
    }
    updater.install(updater.check().orElseThrow());
    assertThat(keptPages()).isEqualTo(pageNames("1.0.0", "1.1.0"));
    String onlyInFirst = newPages("1.0.0", "1.1.0").get(0).sha256();
    repo.publish("1.2.0", tree("three\n"));
    FileTrees.deleteRecursively(home.resolve("releases/1.0.0")); // as a pruning activator does

    updater.install(updater.check().orElseThrow());

    assertThat(keptPages()).isEqualTo(pageNames("1.1.0", "1.2.0")).doesNotContain(onlyInFirst);
    assertThat(home.resolve(".updater/manifests/1.0.0.json")).doesNotExist();
  }

  @Test
  void shouldFallBackToTheArchiveWhenAPageIsTamperedAndStageTheTreeOfAFullInstall()
      throws IOException {
    Updater updater = installFirstPublishSecond();
    PageRef changed = newPages("1.1.0", "1.0.0").get(0);
    byte[] signed = repo.pageBytes(changed);
    byte[] tampered = signed.clone();
    tampered[tampered.length / 2] ^= 1; // same length, other bytes
    repo.writePage(changed, tampered);
    Release second = updater.check().orElseThrow();

    updater.install(second);

    assertThat(server.requests(DeltaRepository.pageUrl(changed))).isEqualTo(1);
    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isEqualTo(1);
    assertThat(server.requests(repo.objectUrl("two\n"))).as("no file fetched").isZero();
    assertThat(home.resolve(".updater/manifests/1.1.0.json")).as("no manifest verified")
        .doesNotExist();
    repo.writePage(changed, signed);
    assertSameTreeAsAFullInstall(second);
  }

  @Test
  void shouldFallBackToTheArchiveWhenAPageIsMissingAndStageTheTreeOfAFullInstall()
      throws IOException {
    Updater updater = installFirstPublishSecond();
    PageRef changed = newPages("1.1.0", "1.0.0").get(0);
    Path page = repo.pageFile(changed);
    byte[] signed = Files.readAllBytes(page);
    Files.delete(page);
    Release second = updater.check().orElseThrow();

    updater.install(second);

    assertThat(server.requests(DeltaRepository.pageUrl(changed))).isEqualTo(1);
    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isEqualTo(1);
    Files.write(page, signed);
    assertSameTreeAsAFullInstall(second);
  }

  private void assertSameTreeAsAFullInstall(Release release) throws IOException {
    Path fullHome = tmp.resolve("full-home");
    updater(fullHome).install(release);
    assertThat(fullHome.resolve(".updater/manifests/" + release.version() + ".json"))
        .as("the full install was checked against the manifest").exists();
    assertThat(DeltaInstallTest.snapshot(home.resolve("releases/" + release.version())))
        .isEqualTo(DeltaInstallTest.snapshot(fullHome.resolve("releases/" + release.version())))
        .containsKey("d3/changing.txt");
  }

  @Test
  void shouldFetchAgainAKeptPageThatNoLongerHashesRight() throws IOException {
    Updater updater = installFirstPublishSecond();
    PageRef changed = newPages("1.1.0", "1.0.0").get(0);
    PageRef shared = repo.pages("1.1.0").stream().filter(p -> !p.equals(changed)).findFirst()
        .orElseThrow();
    byte[] signed = repo.pageBytes(shared);
    byte[] corrupt = signed.clone();
    corrupt[0] ^= 1;
    Files.write(keptPage(shared), corrupt);
    Release second = updater.check().orElseThrow();
    server.resetCounts();

    updater.install(second);

    assertThat(requestsBeyondTheIndex()).isEqualTo(Map.of(
        "/releases/1.1.0/manifest.json", 1,
        DeltaRepository.pageUrl(shared), 1,
        DeltaRepository.pageUrl(changed), 1,
        repo.objectUrl("two\n"), 1));
    assertThat(keptPage(shared)).hasBinaryContent(signed);
    assertThat(inode(home.resolve("releases/1.1.0/d0/f0.txt")))
        .isEqualTo(inode(home.resolve("releases/1.0.0/d0/f0.txt")));
  }

  @Test
  void shouldStopWithoutChangingAnythingWhenTheSignedRootListsItsPagesOutOfOrder()
      throws IOException {
    Updater updater = installFirstPublishSecond();
    String root = Files.readString(repo.manifestFile("1.1.0"));
    List<String> lines = new ArrayList<>(List.of(root.split("\n")));
    List<String> refs = new ArrayList<>(lines.stream()
        .filter(l -> l.startsWith("    {") && l.contains("\"entries\""))
        .map(l -> l.endsWith(",") ? l.substring(0, l.length() - 1) : l).toList());
    Collections.reverse(refs);
    String reversed = "{\n  \"format\": 3,\n  \"pages\": [\n" + String.join(",\n", refs)
        + "\n  ]\n}\n";
    Release second = updater.check().orElseThrow();
    repo.replace(second.withManifest(repo.writeManifest("1.1.0",
        reversed.getBytes(StandardCharsets.UTF_8))));
    HomeSnapshot before = HomeSnapshot.of(Layout.of(home));

    assertThatThrownBy(() -> updater.install(updater.check().orElseThrow()))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
          assertThat(e.getMessage()).contains("the manifest of 1.1.0 is refused: pages[1] starts "
              + "with", "the pages must follow each other in path order without overlapping");
        });
    assertThat(HomeSnapshot.of(Layout.of(home))).isEqualTo(before);
    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isZero();
  }

  @Test
  void shouldStillInstallAWholeFormatOneManifestByDelta() throws IOException {
    repo.publishWhole("1.0.0", tree("one\n"));
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    Release second = repo.publishWhole("1.1.0", tree("two\n"));
    server.resetCounts();

    updater.install(updater.check().orElseThrow());

    assertThat(requestsBeyondTheIndex()).isEqualTo(Map.of(
        "/releases/1.1.0/manifest.json", 1,
        repo.plainObjectUrl("two\n"), 1));
    assertThat(Files.readString(home.resolve(".updater/manifests/1.1.0.json")))
        .startsWith("{\n  \"format\": 1,");
    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isZero();
    assertThat(inode(home.resolve("releases/1.1.0/d0/f0.txt")))
        .isEqualTo(inode(home.resolve("releases/1.0.0/d0/f0.txt")));
  }

  @Test
  void shouldStillInstallARepositoryOfThePreviousPagedFormatByDelta() throws IOException {
    repo.publishPrevious("1.0.0", tree("one\n"));
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    Release second = repo.publishPrevious("1.1.0", tree("two\n"));
    List<PageRef> changed = newPages("1.1.0", "1.0.0");
    server.resetCounts();

    updater.install(updater.check().orElseThrow());

    Map<String, Integer> expected = new HashMap<>();
    expected.put("/releases/1.1.0/manifest.json", 1);
    expected.put(repo.plainObjectUrl("two\n"), 1);
    changed.forEach(p -> expected.put("/" + ObjectPaths.relative(p.sha256()), 1));
    assertThat(requestsBeyondTheIndex()).isEqualTo(expected);
    assertThat(Files.readString(home.resolve(".updater/manifests/1.1.0.json")))
        .startsWith("{\n  \"format\": 2,");
    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isZero();
    assertThat(home.resolve("current/d3/changing.txt")).hasContent("two");
    assertSameTreeAsAFullInstall(second);
  }

  @Test
  void shouldInstallAPagedManifestByDeltaOverALiveReleaseWithAWholeOne() throws IOException {
    repo.publishWhole("1.0.0", tree("one\n"));
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    Release second = repo.publish("1.1.0", tree("two\n"));
    server.resetCounts();

    updater.install(updater.check().orElseThrow());

    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isZero();
    assertThat(server.requests(repo.objectUrl("two\n"))).isEqualTo(1);
    assertThat(repo.pages("1.1.0")).allSatisfy(p ->
        assertThat(server.requests(DeltaRepository.pageUrl(p))).as("nothing kept yet")
            .isEqualTo(1));
    assertThat(home.resolve("current/d3/changing.txt")).hasContent("two");
  }

  @Test
  void shouldInstallFromTheArchiveWhenTheSourceCanServeNoPages() throws IOException {
    repo.publish("1.0.0", tree("one\n"));
    HttpReleaseSource http = http();
    ReleaseSource noObjects = new ReleaseSource() {
      @Override
      public ReleaseIndex index(String channel) throws IOException {
        return http.index(channel);
      }

      @Override
      public InputStream open(Artifact artifact, long offset) throws IOException {
        if (artifact.location().startsWith("objects/")) {
          throw new NoSuchFileException(artifact.location(), null, "only artifacts here");
        }
        return http.open(artifact, offset);
      }
    };
    Updater updater = updater(home, noObjects);
    updater.install(updater.check().orElseThrow());
    Release second = repo.publish("1.1.0", tree("two\n"));

    updater.install(updater.check().orElseThrow());

    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isEqualTo(1);
    assertThat(home.resolve("current/d3/changing.txt")).hasContent("two");
    assertThat(requestsBeyondTheIndex()).allSatisfy((path, n) ->
        assertThat(path).startsWith("/releases/"));
  }

  private static long inode(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
  }
}
