package dev.updater.core.source.github;

import dev.updater.core.FaultyHttpServer;
import dev.updater.core.trust.SigningKey;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updater.testkit.Digests;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GitHub repository's releases as files for {@link FaultyHttpServer}: the releases list at
 * {@code /repos/acme/myapp/releases}, in the JSON shape of the GitHub REST API, and each asset at
 * {@code /download/<tag>/<name>}, its {@code browser_download_url}. A standard release has the
 * archive {@code myapp-<version>-linux-amd64.tar.gz} (a {@code VERSION} file) and a {@code
 * SHA256SUMS} listing it and one other file; each part can be changed before {@link #write()}.
 *
 * <pre>{@code
 * GitHubFixture github = new GitHubFixture(root, server.baseUrl());
 * github.release("v1.0.0");
 * github.release("v1.1.0-rc.1").prerelease();
 * github.write();
 * }</pre>
 *
 * <p>Not thread-safe; test use only.
 */
public final class GitHubFixture {
  public static final String REPO = "acme/myapp";
  static final String LIST = "/repos/acme/myapp/releases";
  public static final String PATTERN = "myapp-{version}-linux-amd64.tar.gz";

  private final Path root;
  private final URI base;
  private final List<Rel> releases = new ArrayList<>();

  public GitHubFixture(Path root, URI base) {
    this.root = root;
    this.base = base;
  }

  /** The archive's asset name in the release tagged {@code tag}. */
  static String archiveName(String tag) {
    return PATTERN.replace("{version}", tag.replaceFirst("^v", ""));
  }

  /** The server path of an asset. */
  static String path(String tag, String name) {
    return "/download/" + tag + "/" + name;
  }

  /** Adds a standard release, first in the list (GitHub lists the newest created first). */
  public Rel release(String tag) throws IOException {
    Rel rel = new Rel(tag);
    String version = tag.replaceFirst("^v", "");
    Path tmp = Files.createTempFile(root, "archive", ".tar.gz");
    RawArchives.tarGz(tmp, Map.of("VERSION", version + "\n", "bin/app", "echo " + version));
    byte[] archive = Files.readAllBytes(tmp);
    Files.delete(tmp);
    rel.asset(archiveName(tag), archive);
    rel.checksums(Digests.sha256(archive) + "  " + archiveName(tag) + "\n"
        + Digests.sha256(new byte[0]) + " *notes.txt\n");
    releases.add(0, rel);
    return rel;
  }

  /** Writes the releases list and every asset. */
  public void write() throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Rel rel : releases) {
      List<Map<String, Object>> assets = new ArrayList<>();
      for (Map.Entry<String, byte[]> a : rel.assets.entrySet()) {
        Path file = root.resolve(path(rel.tag, a.getKey()).substring(1));
        Files.createDirectories(file.getParent());
        Files.write(file, a.getValue());
        Map<String, Object> asset = new LinkedHashMap<>();
        asset.put("name", a.getKey());
        asset.put("size", rel.sizes.getOrDefault(a.getKey(), (long) a.getValue().length));
        asset.put("content_type", "application/octet-stream");
        asset.put("browser_download_url", base.resolve(path(rel.tag, a.getKey()).substring(1))
            .toString());
        assets.add(asset);
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", list.size() + 1);
      r.put("tag_name", rel.tag);
      r.put("name", "Release " + rel.tag);
      r.put("body", "Notes of " + rel.tag);
      r.put("draft", rel.draft);
      r.put("prerelease", rel.prerelease);
      r.put("published_at", rel.draft ? null : "2025-01-0" + (list.size() % 9 + 1) + "T10:00:00Z");
      r.put("assets", assets);
      list.add(r);
    }
    writeList(new ObjectMapper().writeValueAsBytes(list));
  }

  /** Replaces the releases list with {@code bytes}. */
  void writeList(byte[] bytes) throws IOException {
    Path file = root.resolve(LIST.substring(1));
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  /** Overwrites an asset file on the server after {@link #write()}, leaving the list alone. */
  void replaceAsset(String tag, String name, byte[] bytes) throws IOException {
    Files.write(root.resolve(path(tag, name).substring(1)), bytes);
  }

  /** One release, changed in place. */
  static final class Rel {
    final String tag;
    final Map<String, byte[]> assets = new LinkedHashMap<>();
    final Map<String, Long> sizes = new LinkedHashMap<>();
    boolean draft;
    boolean prerelease;

    private Rel(String tag) {
      this.tag = tag;
    }

    Rel draft() {
      draft = true;
      return this;
    }

    Rel prerelease() {
      prerelease = true;
      return this;
    }

    Rel asset(String name, byte[] bytes) {
      assets.put(name, bytes);
      return this;
    }

    Rel without(String name) {
      assets.remove(name);
      return this;
    }

    Rel checksums(String text) {
      return asset("SHA256SUMS", text.getBytes(UTF_8));
    }

    /** Signs the current SHA256SUMS with {@code key} as {@code SHA256SUMS.minisig}. */
    Rel signedBy(SigningKey key) {
      return asset("SHA256SUMS.minisig",
          key.sign(assets.get("SHA256SUMS"), "myapp " + tag).getBytes(UTF_8));
    }

    byte[] archive() {
      return assets.get(archiveName(tag));
    }
  }
}
