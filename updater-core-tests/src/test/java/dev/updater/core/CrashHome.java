package dev.updater.core;

import static dev.updater.testkit.Digests.sha256;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.internal.format.MetadataJson;
import dev.updater.testkit.RawArchives;
import dev.updater.testkit.crash.ChildExit;
import dev.updater.testkit.crash.ChildJvm;
import dev.updater.testkit.crash.FaultPoint;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A real-disk install and update repository for the crash tests, with releases {@link #V1} and
 * {@link #V2} published on {@code stable}, and a way to run {@link UpdateChildMain} in a child JVM.
 *
 * <p>Each release archive holds {@code VERSION}, {@code bin/app} and a 600 KB incompressible
 * {@code lib/blob.bin}, so that a download takes several chunks and an extraction several files.
 *
 * <p>Not thread-safe; test use only.
 */
final class CrashHome {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");
  /** The exit status of a child halted at a fault point. */
  static final int HALTED = FaultPoint.HALT_STATUS;

  private static final int BLOB_BYTES = 600 * 1024;
  private static final long CHILD_TIMEOUT_SECONDS = 60;

  final Path root;
  final Path home;
  final Path repository;
  final Layout layout;
  private final Map<Version, Map<String, byte[]>> trees = new LinkedHashMap<>();
  private final Map<Version, Release> releases = new LinkedHashMap<>();

  private CrashHome(Path root) {
    this.root = root;
    this.home = root.resolve("home");
    this.repository = root.resolve("repo");
    this.layout = Layout.of(home);
  }

  /** Creates the home directory and a repository publishing {@link #V1} and {@link #V2}. */
  static CrashHome create(Path root) throws IOException {
    CrashHome h = new CrashHome(root);
    Files.createDirectories(h.home);
    for (Version v : List.of(V1, V2)) {
      h.publish(v);
    }
    Files.createDirectories(h.repository.resolve("channels"));
    Files.write(h.repository.resolve("channels/stable.json"), MetadataJson.write(new ReleaseIndex(
        "app", "stable", 1, Optional.empty(), new ArrayList<>(h.releases.values()))));
    return h;
  }

  private void publish(Version v) throws IOException {
    Map<String, byte[]> tree = new LinkedHashMap<>();
    tree.put("VERSION", v.toString().getBytes(UTF_8));
    tree.put("bin/app", ("#!/bin/sh\necho app " + v + "\n").getBytes(UTF_8));
    byte[] blob = new byte[BLOB_BYTES];
    new Random(v.toString().hashCode()).nextBytes(blob);
    tree.put("lib/blob.bin", blob);
    RawArchives.Tar tar = RawArchives.tar();
    tree.forEach((name, bytes) -> tar.file(name, bytes, 0644));
    String name = "app-" + v + ".tar.gz";
    Path dir = Files.createDirectories(repository.resolve("releases").resolve(v.toString()));
    Path archive = tar.writeTarGz(dir.resolve(name));
    byte[] bytes = Files.readAllBytes(archive);
    trees.put(v, tree);
    releases.put(v, Release.of(v, "stable", new Artifact(name, bytes.length, sha256(bytes),
        "releases/" + v + "/" + name)));
  }

  /** A new updater on this home, configured exactly as the child's. */
  Updater updater() {
    return UpdateChildMain.updater(home, repository);
  }

  Release release(Version v) {
    return releases.get(v);
  }

  /** The published archive of {@code v} in the repository. */
  Path archive(Version v) {
    return repository.resolve(release(v).primaryArtifact().location());
  }

  Path data() {
    return layout.shared().resolve("data");
  }

  Path staging() {
    return layout.state().resolve("staging");
  }

  Path downloads() {
    return layout.state().resolve("downloads");
  }

  /**
   * Runs {@link UpdateChildMain} with {@code args} after the home and repository, halting at
   * {@code faultPoint} unless it is null, through the testkit's {@link ChildJvm}.
   */
  ChildExit runChild(String faultPoint, String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(home.toString(), repository.toString()));
    all.addAll(List.of(args));
    ChildJvm child = ChildJvm.of(UpdateChildMain.class, all.toArray(String[]::new))
        .timeout(Duration.ofSeconds(CHILD_TIMEOUT_SECONDS));
    return (faultPoint == null ? child : child.haltAt(faultPoint)).run();
  }

  // ---- the invariant ---------------------------------------------------------------------------

  /**
   * Asserts that {@code current} is a link to exactly {@code releases/<v>} and that the release is
   * complete: every file of its archive with the published bytes, and {@code data} linked to
   * {@code shared/data}.
   */
  void assertLive(Version v) throws IOException {
    assertThat(Files.isSymbolicLink(layout.current())).as("current is a symbolic link").isTrue();
    assertThat(Files.readSymbolicLink(layout.current()).toString())
        .isEqualTo("releases/" + v);
    assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo(v.toString());
    for (Map.Entry<String, byte[]> e : trees.get(v).entrySet()) {
      assertThat(layout.current().resolve(e.getKey())).as("current/%s", e.getKey())
          .hasBinaryContent(e.getValue());
    }
    assertThat(Files.isSameFile(layout.current().resolve("data"), data()))
        .as("current/data is shared/data").isTrue();
  }

  /** Asserts that no staging directory and no temporary link of a switch is left. */
  void assertNoStagingLeft() throws IOException {
    if (Files.exists(staging(), LinkOption.NOFOLLOW_LINKS)) {
      try (var entries = Files.list(staging())) {
        assertThat(entries).as("leftovers in %s", staging()).isEmpty();
      }
    }
    try (DirectoryStream<Path> links = Files.newDirectoryStream(home, ".current.tmp-*")) {
      assertThat(links).as("temporary links in %s", home).isEmpty();
    }
  }
}
