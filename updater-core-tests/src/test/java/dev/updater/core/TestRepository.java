package dev.updater.core;

import static dev.updater.testkit.Digests.sha256;

import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An update repository on the real disk, in the layout {@link DirectoryReleaseSource} reads: every
 * publish writes {@code releases/<v>/<artifact>} and rewrites {@code channels/stable.json} with a
 * serial one higher than before.
 *
 * <pre>{@code
 * TestRepository repo = new TestRepository(tempDir);
 * Release r = repo.publish(v("1.1.0"), Map.of("VERSION", "1.1.0", "bin/app", "#!/bin/sh\n"));
 * }</pre>
 *
 * <p>Not thread-safe; test use only.
 */
public final class TestRepository {
  static final String CHANNEL = "stable";

  public final Path root;
  private final List<Release> releases = new ArrayList<>();
  private long serial;

  public TestRepository(Path root) throws IOException {
    this.root = Files.createDirectories(root);
  }

  public static Version v(String text) {
    return Version.parse(text);
  }

  /** A source reading this repository. */
  public DirectoryReleaseSource source() {
    return DirectoryReleaseSource.of(root);
  }

  /**
   * Publishes {@code app-<v>.tar.gz} holding {@code files}; entries under {@code bin/} are
   * executable (mode 0755), the others 0644.
   */
  public Release publish(Version version, Map<String, String> files) throws IOException {
    RawArchives.Tar tar = RawArchives.tar();
    files.forEach((name, content) -> tar.file(name, content, name.startsWith("bin/") ? 0755 : 0644));
    return publishArchive(version, "app-" + version + ".tar.gz", gzip(tar), UnaryOperator.identity());
  }

  /** Publishes a release holding {@code VERSION} and an executable {@code bin/app}. */
  public Release publish(Version version) throws IOException {
    return publish(version, Map.of("VERSION", version.toString(),
        "bin/app", "#!/bin/sh\necho app " + version + "\n"));
  }

  /**
   * Publishes {@code bytes} as the artifact {@code name} of {@code version}, with its true size and
   * SHA-256, after {@code edit} changed the release metadata (to tamper with it, say).
   */
  public Release publishArchive(Version version, String name, byte[] bytes,
      UnaryOperator<Release> edit)
      throws IOException {
    Path dir = Files.createDirectories(root.resolve("releases").resolve(version.toString()));
    Files.write(dir.resolve(name), bytes);
    Artifact artifact = new Artifact(name, bytes.length, sha256(bytes),
        "releases/" + version + "/" + name);
    Release release = edit.apply(Release.of(version, CHANNEL, artifact));
    releases.removeIf(r -> r.version().equals(version));
    releases.add(release);
    writeIndex();
    return release;
  }

  /** The artifact file of a published release. */
  Path artifactFile(Release release) {
    return root.resolve(release.primaryArtifact().location());
  }

  private void writeIndex() throws IOException {
    serial++;
    writeIndex(new ReleaseIndex("app", CHANNEL, serial, Optional.empty(), releases));
  }

  /**
   * Replaces the index with one at exactly {@code serial}, expiring at {@code expires}, listing
   * the releases published so far as {@code edit} changes them (to give one a rollout, say).
   * Later publishes count on from {@code serial}.
   *
   * @return the exact bytes written
   */
  byte[] writeIndex(long serial, Optional<Instant> expires, UnaryOperator<Release> edit)
      throws IOException {
    this.serial = serial;
    return writeIndex(new ReleaseIndex("app", CHANNEL, serial, expires,
        releases.stream().map(edit).toList()));
  }

  /** Replaces the index file with exactly {@code bytes} (an older index served again, say). */
  void serveIndexBytes(byte[] bytes) throws IOException {
    Files.write(Files.createDirectories(root.resolve("channels")).resolve(CHANNEL + ".json"), bytes);
  }

  private byte[] writeIndex(ReleaseIndex index) throws IOException {
    byte[] bytes = MetadataJson.write(index);
    serveIndexBytes(bytes);
    return bytes;
  }

  private static byte[] gzip(RawArchives.Tar tar) throws IOException {
    Path tmp = Files.createTempFile("test-repository", ".tar.gz");
    try {
      return Files.readAllBytes(tar.writeTarGz(tmp));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A release like {@code release} whose artifact claims another size or SHA-256. */
  static Release withArtifact(Release release, UnaryOperator<Artifact> edit) {
    return new Release(release.version(), release.channel(),
        List.of(edit.apply(release.primaryArtifact())), release.requirements(), release.notes(),
        release.publishedAt());
  }

  /** A release like {@code release} with other requirements. */
  static Release withRequirements(Release release, Requirements requirements) {
    return new Release(release.version(), release.channel(), release.artifacts(), requirements,
        release.notes(), release.publishedAt());
  }
}
