package dev.updater.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish} writes a per-file manifest and content-addressed objects beside the artifact,
 * and signs the manifest's digest into the index; {@code install} then fetches only what changed.
 */
class PublishManifestTest {
  private static final String SAME = "unchanged library\n".repeat(50);

  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path keys;
  Path repo;

  @BeforeEach
  void keygen() {
    keys = tmp.resolve("keys");
    repo = tmp.resolve("repo");
    assertThat(cli.run("keygen", "--out", keys).code()).isZero();
  }

  private Result publish(String version, Object... extra) throws IOException {
    Map<String, String> files = new TreeMap<>(Map.of("VERSION", version + "\n",
        "lib/same.txt", SAME));
    Path zip = zip(tmp.resolve("build/app-" + version + ".zip"), files);
    List<Object> args = new java.util.ArrayList<>(List.of("publish", "--repo", repo, "--version",
        version, "--key", keys.resolve("updater.key"), "--artifact", zip));
    args.addAll(List.of(extra));
    return cli.run(args.toArray());
  }

  @Test
  void shouldWriteTheManifestAndEachDistinctFileOnceUnderObjects() throws IOException {
    Result first = publish("1.0.0");
    Result second = publish("1.1.0");

    assertThat(first.code()).as("%s", first).isZero();
    assertThat(second.code()).as("%s", second).isZero();
    assertThat(second.out()).contains("releases/1.1.0/manifest.json  2 files, 1 new object(s)",
        "1 of 1 manifest page(s) new");
    String root = Files.readString(repo.resolve("releases/1.1.0/manifest.json"));
    assertThat(root).startsWith("{\n  \"format\": 3,\n  \"pages\": [");
    List<String> pages = pageNames(root);
    assertThat(pages).hasSize(1);
    String page = inflate(object(pages.get(0)));
    assertThat(page).contains("\"format\": 3", "\"path\":\"lib\",\"type\":\"directory\"",
        "\"path\":\"lib/same.txt\",\"type\":\"file\",\"mode\":\"0644\"", sha256(SAME));
    assertThat(sha256(page)).isEqualTo(pages.get(0));
    List<String> expected = new java.util.ArrayList<>(List.of(sha256(SAME), sha256("1.0.0\n"),
        sha256("1.1.0\n")));
    expected.addAll(pageNames(Files.readString(repo.resolve("releases/1.0.0/manifest.json"))));
    expected.addAll(pages);
    List<String> packIndexes = java.util.regex.Pattern.compile("\"index\":\"([0-9a-f]{64})\"")
        .matcher(root).results().map(m -> m.group(1)).toList();
    assertThat(packIndexes).as("the index of the pack of 1.1.0").hasSize(1);
    expected.addAll(packIndexes);
    assertThat(objects()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(inflate(object(sha256(SAME)))).isEqualTo(SAME);
    assertThat(Files.readString(repo.resolve("channels/stable.json")))
        .contains("\"manifest\": {", "\"url\": \"releases/1.1.0/manifest.json\"", sha256(root));
  }

  @Test
  void shouldShareTheUnchangedPagesOfTheManifestBetweenReleases() throws IOException {
    publish("1.0.0");
    Files.createDirectories(tmp.resolve("build"));
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < 400; i++) {
      files.put("lib/f" + i + ".txt", "file " + i + "\n");
    }
    zip(tmp.resolve("build/app-2.0.0.zip"), files);
    files.put("lib/f7.txt", "changed\n");
    zip(tmp.resolve("build/app-2.1.0.zip"), files);

    Result first = cli.run("publish", "--repo", repo, "--version", "2.0.0", "--key",
        keys.resolve("updater.key"), "--artifact", tmp.resolve("build/app-2.0.0.zip"));
    Result second = cli.run("publish", "--repo", repo, "--version", "2.1.0", "--key",
        keys.resolve("updater.key"), "--artifact", tmp.resolve("build/app-2.1.0.zip"));

    assertThat(first.code()).as("%s", first).isZero();
    assertThat(second.code()).as("%s", second).isZero();
    int pages = pageNames(Files.readString(repo.resolve("releases/2.1.0/manifest.json"))).size();
    assertThat(pages).isGreaterThan(3);
    assertThat(second.out()).contains("1 new object(s)", "1 of " + pages + " manifest page(s) new");
  }

  /** The page names a manifest root lists, in order. */
  private static List<String> pageNames(String root) {
    return java.util.regex.Pattern.compile("\"sha256\":\"([0-9a-f]{64})\"").matcher(root)
        .results().map(m -> m.group(1)).toList();
  }

  /** The compressed object file of {@code sha256}. */
  private Path object(String sha256) {
    return repo.resolve("objects/" + sha256.substring(0, 2) + "/" + sha256 + ".zlib");
  }

  /** The text a compressed object holds. */
  private static String inflate(Path object) throws IOException {
    try (InputStream in = new InflaterInputStream(Files.newInputStream(object))) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  @Test
  void shouldInstallTheNextReleaseByFetchingOnlyWhatChanged() throws IOException {
    Path home = tmp.resolve("home");
    publish("1.0.0");
    Result first = cli.run("install", "--home", home, "--source", repo,
        "--trust", keys.resolve("updater.pub"));
    assertThat(first.code()).as("%s", first).isZero();
    publish("1.1.0");
    Files.delete(repo.resolve("releases/1.1.0/app-1.1.0.zip")); // only the objects remain

    Result second = cli.run("install", "--home", home, "--source", repo,
        "--trust", keys.resolve("updater.pub"));

    assertThat(second.code()).as("%s", second).isZero();
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(Files.getAttribute(home.resolve("releases/1.1.0/lib/same.txt"), "unix:ino",
        LinkOption.NOFOLLOW_LINKS)).isEqualTo(Files.getAttribute(
            home.resolve("releases/1.0.0/lib/same.txt"), "unix:ino", LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void shouldWriteNoManifestWithNoManifest() throws IOException {
    Result r = publish("1.0.0", "--no-manifest");

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(repo.resolve("releases/1.0.0/manifest.json")).doesNotExist();
    assertThat(repo.resolve("objects")).doesNotExist();
    assertThat(Files.readString(repo.resolve("channels/stable.json"))).doesNotContain("manifest");
  }

  @Test
  void shouldRefuseAnArtifactNoInstallCouldStage() throws IOException {
    Path notAnArchive = Files.writeString(Files.createDirectories(tmp.resolve("build"))
        .resolve("app.tar.gz"), "plain bytes");

    Result r = cli.run("publish", "--repo", repo, "--version", "1.0.0", "--key",
        keys.resolve("updater.key"), "--artifact", notAnArchive);

    assertThat(r.code()).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).contains("would be refused by every install", "--no-manifest");
    assertThat(repo.resolve("channels/stable.json")).doesNotExist();
  }

  private List<String> objects() throws IOException {
    try (Stream<Path> files = Files.walk(repo.resolve("objects"))) {
      return files.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString().replace(".zlib", "")).toList();
    }
  }

  private static Path zip(Path file, Map<String, String> files) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, String> e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(UTF_8));
        zip.closeEntry();
      }
    }
    return file;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
