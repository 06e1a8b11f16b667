package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.updater.testkit.Digests;
import dev.updater.testkit.RawArchives;

/**
 * Delta installs that read the objects they lack out of the release's pack, over a real HTTP
 * server on 127.0.0.1: a few {@code Range} requests instead of one request per object; and every
 * way a pack can fail (a server that ignores {@code Range}, one that answers 416, a missing or
 * truncated pack, a tampered object) only costs single-object fetches, never a wrong tree. Also
 * through a directory source, and from a release two versions behind (the packs of both newer
 * releases are read).
 */
class PackedDeltaInstallTest extends ServedRepositoryTest {
  /** How many files each new release changes, of {@link #TOTAL}. */
  private static final int FILES = 40;
  private static final int TOTAL = 240;

  private Updater updater;

  @BeforeEach
  void start() throws IOException {
    repo.publish("1.0.0", tree("1.0.0", 0));
    updater = updater(HttpReleaseSource.builder(server.baseUrl()).trustedKeys(repo.trust())
        .maxAttempts(1).build());
    updater.install(updater.check().orElseThrow());
    repo.publish("1.1.0", tree("1.1.0", FILES));
    server.resetCounts();
  }

  private Updater updater(ReleaseSource source) {
    return Updater.builder().home(home).source(source).freeSpace(0, 3)
        .checkCacheTtl(Duration.ZERO).build();
  }

  /** A tree whose first {@code changed} files say {@code version}, the others not. */
  private static Consumer<RawArchives.Tar> tree(String version, int changed) {
    return tar -> {
      tar.file("VERSION", version + "\n").dir("lib");
      for (int i = 0; i < TOTAL; i++) {
        tar.file("lib/f" + i + ".txt", content(i, i < changed ? version : "same"));
      }
    };
  }

  /** Text that does not compress much, so that the archive is larger than the changed files. */
  private static String content(int i, String version) {
    byte[] noise = new byte[600 + i];
    new java.util.Random(i * 31L + version.hashCode()).nextBytes(noise);
    return "file " + i + " of " + version + "\n" + java.util.HexFormat.of().formatHex(noise);
  }

  /** The single-object requests of the files the update changed. */
  private int singleRequests(String version, int changed) {
    int n = 0;
    for (int i = 0; i < changed; i++) {
      n += server.requests(repo.objectUrl(content(i, version)));
    }
    return n;
  }

  private int packRequests() {
    return server.requests().entrySet().stream().filter(e -> e.getKey().startsWith("/packs/"))
        .mapToInt(e -> e.getValue()).sum();
  }

  private String packUrl() throws IOException {
    return "/packs/" + repo.packFiles().get(repo.packFiles().size() - 1).getFileName();
  }

  private void assertInstalled(String version, int changed) throws IOException {
    assertThat(home.resolve("current/VERSION")).hasContent(version);
    for (int i = 0; i < TOTAL; i++) {
      assertThat(home.resolve("current/lib/f" + i + ".txt"))
          .hasContent(content(i, i < changed ? version : "same"));
    }
    assertThat(server.requests(DeltaRepository.archiveUrl(repo.readRelease(version)))).isZero();
  }

  @Test
  void shouldReadTheChangedFilesOutOfThePackWithOneRangeRequest() throws IOException {
    updater.install(updater.check().orElseThrow());

    assertInstalled("1.1.0", FILES);
    assertThat(singleRequests("1.1.0", FILES)).isZero();
    assertThat(packRequests()).isOne();
    assertThat(server.requestHeaders(packUrl()).get(0).get("Range").get(0))
        .matches("bytes=\\d+-\\d+");
  }

  @Test
  void shouldReadTheObjectsOutOfTheWholePackWhenTheServerIgnoresRange() throws IOException {
    server.always(packUrl(), FaultyHttpServer.Fault.ignoreRange());

    updater.install(updater.check().orElseThrow());

    assertInstalled("1.1.0", FILES);
    assertThat(singleRequests("1.1.0", FILES)).isZero();
    assertThat(packRequests()).as("the whole pack, once").isOne();
  }

  @Test
  void shouldFetchObjectsOneByOneFromARootThatListsNoPacks() throws IOException {
    Path root = repo.manifestFile("1.1.0");
    String text = Files.readString(root);
    String without = text.substring(0, text.indexOf(",\n  \"packs\"")) + "\n}\n";
    repo.replace(repo.readRelease("1.1.0").withManifest(repo.writeManifest("1.1.0",
        without.getBytes(StandardCharsets.UTF_8))));

    updater.install(updater.check().orElseThrow());

    assertInstalled("1.1.0", FILES);
    assertThat(singleRequests("1.1.0", FILES)).isEqualTo(FILES);
    assertThat(packRequests()).isZero();
  }

  @Test
  void shouldFetchObjectsOneByOneWhenTheServerAnswers416() throws IOException {
    server.always(packUrl(), FaultyHttpServer.Fault.status(416, "Content-Range", "bytes */10"));

    updater.install(updater.check().orElseThrow());

    assertInstalled("1.1.0", FILES);
    assertThat(singleRequests("1.1.0", FILES)).isEqualTo(FILES);
  }

  @Test
  void shouldFetchObjectsOneByOneWhenThePackIsMissing() throws IOException {
    repo.deletePacks();

    updater.install(updater.check().orElseThrow());

    assertInstalled("1.1.0", FILES);
    assertThat(singleRequests("1.1.0", FILES)).isEqualTo(FILES);
  }

  @Test
  void shouldFetchObjectsOneByOneWhenThePackIsShorterThanListed() throws IOException {
    Path pack = repo.packFiles().get(0);
    byte[] bytes = Files.readAllBytes(pack);
    Files.write(pack, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    updater.install(updater.check().orElseThrow());

    assertInstalled("1.1.0", FILES);
    assertThat(singleRequests("1.1.0", FILES)).isPositive();
  }

  @Test
  void shouldRefuseATamperedObjectOfThePackAndFetchItOnItsOwn() throws IOException {
    Path pack = repo.packFiles().get(0);
    byte[] bytes = Files.readAllBytes(pack);
    byte[] object = Files.readAllBytes(repo.object(content(7, "1.1.0")));
    int at = indexOf(bytes, object);
    assertThat(at).as("the object is in the pack").isNotNegative();
    bytes[at + object.length / 2] ^= 0x55;
    Files.write(pack, bytes);

    updater.install(updater.check().orElseThrow());

    assertInstalled("1.1.0", FILES);
    assertThat(server.requests(repo.objectUrl(content(7, "1.1.0")))).isOne();
    assertThat(singleRequests("1.1.0", FILES)).isOne();
  }

  @Test
  void shouldRefuseAnIndexWhoseObjectsRunPastThePackAndFetchThemOneByOne() throws IOException {
    String root = Files.readString(repo.manifestFile("1.1.0"));
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("\"index\":\"([0-9a-f]{64})\",\"size\":(\\d+),\"objects\":(\\d+)")
        .matcher(root);
    assertThat(m.find()).isTrue();
    StringBuilder index = new StringBuilder("updater-pack 1\n");
    for (int i = 0; i < Integer.parseInt(m.group(3)); i++) {
      index.append(String.format("%016x", i)).append(' ').append(i == 0 ? 999_999_999 : 1)
          .append('\n');
    }
    byte[] bytes = index.toString().getBytes(StandardCharsets.US_ASCII);
    String sha = Digests.sha256(bytes);
    Path object = repo.root.resolve(ObjectPaths.compressed(sha));
    Files.createDirectories(object.getParent());
    Files.write(object, DeltaRepository.compress(bytes));
    String forged = root.replace(m.group(0), "\"index\":\"" + sha + "\",\"size\":"
        + bytes.length + ",\"objects\":" + m.group(3));
    repo.replace(repo.readRelease("1.1.0").withManifest(repo.writeManifest("1.1.0",
        forged.getBytes(StandardCharsets.UTF_8))));

    updater.install(updater.check().orElseThrow());

    assertInstalled("1.1.0", FILES);
    assertThat(singleRequests("1.1.0", FILES)).isEqualTo(FILES);
    assertThat(packRequests()).isZero();
  }

  @Test
  void shouldReadThePacksOfEveryNewerReleaseWhenTwoVersionsBehind() throws IOException {
    repo.publish("1.2.0", tar -> {
      tar.file("VERSION", "1.2.0\n").dir("lib").file("lib/new.txt", "new in 1.2.0\n".repeat(50));
      for (int i = 0; i < TOTAL; i++) {
        tar.file("lib/f" + i + ".txt", content(i, i < FILES ? "1.1.0" : "same"));
      }
    });
    server.resetCounts();

    updater.install(updater.check().orElseThrow());

    assertThat(home.resolve("current/VERSION")).hasContent("1.2.0");
    assertThat(home.resolve("current/lib/f3.txt")).hasContent(content(3, "1.1.0"));
    assertThat(singleRequests("1.1.0", FILES)).as("1.1.0's objects come from 1.1.0's pack")
        .isZero();
    assertThat(repo.packFiles()).hasSize(2);
  }

  @Test
  void shouldReadThePackThroughADirectorySource() throws IOException {
    List<String> opened = new CopyOnWriteArrayList<>();
    ReleaseSource recording = new ReleaseSource() {
      private final ReleaseSource delegate = repo.directorySource();

      @Override
      public ReleaseIndex index(String channel) throws IOException {
        return delegate.index(channel);
      }

      @Override
      public InputStream open(Artifact artifact, long offset) throws IOException {
        opened.add(artifact.location());
        return delegate.open(artifact, offset);
      }

      @Override
      public boolean servesObjects() {
        return true;
      }
    };
    Updater local = updater(recording);

    local.install(local.check().orElseThrow());

    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(home.resolve("current/lib/f9.txt")).hasContent(content(9, "1.1.0"));
    Set<String> singles = new HashSet<>();
    for (int i = 0; i < FILES; i++) {
      singles.add(ObjectPaths.compressed(Digests.sha256(
          content(i, "1.1.0").getBytes(StandardCharsets.UTF_8))));
    }
    assertThat(opened).noneMatch(singles::contains).anyMatch(l -> l.startsWith("packs/"));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
