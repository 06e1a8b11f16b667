package dev.updater.core;

import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.testkit.RawArchives;
import dev.updater.testkit.crash.TreeSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A signed update repository as {@code updater publish} writes it, through the same {@link
 * RepositoryWriter}: archives, paged per-file manifests and objects, and a signed index on channel
 * {@code stable} with {@link #V1} and {@link #V2}. The release tree has {@link #FILES} files of
 * 2 KB of random bytes, ten to a directory; {@link #V2} changes a tenth of them, so that an install
 * of it from {@link #V1} takes the delta path (unchanged files hard-linked from the live release,
 * changed ones fetched as objects).
 *
 * <p>Built once per test class; each test copies {@link #template} (a home with {@link #V1}
 * installed) into a fresh home. Not thread-safe; test use only.
 */
final class SignedRepositoryFixture {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");
  /**
   * How many files the release tree has: 200 by default, so that the crash tests stay quick;
   * {@code -Dupdater.crash.files=600} for the size of the tree the failure was first seen with.
   */
  static final int FILES = Integer.getInteger("updater.crash.files", 200);

  final Path repository;
  final Path publicKey;
  final Path template;
  final Map<Version, TreeSnapshot> trees = new LinkedHashMap<>();

  private SignedRepositoryFixture(Path root) {
    this.repository = root.resolve("repo");
    this.publicKey = root.resolve("updates.pub");
    this.template = root.resolve("template-home");
  }

  /** Publishes both releases under {@code root} and installs them into clean homes there. */
  static SignedRepositoryFixture create(Path root) throws IOException {
    SignedRepositoryFixture f = new SignedRepositoryFixture(root);
    SigningKey key = SigningKey.generate();
    Files.writeString(f.publicKey, key.publicKeyText());
    RepositoryWriter writer = RepositoryWriter.signed(f.repository, key);
    for (Version v : new Version[] {V1, V2}) {
      Path archive = root.resolve("app-" + v + ".tar.gz");
      tree(v).writeTarGz(archive);
      Artifact artifact = writer.putArtifact(v, archive, RepositoryWriter.IfDifferent.REFUSE);
      RepositoryWriter.PublishedTree published = writer.putTree(v, archive,
          ArchiveStager.defaults());
      writer.publish("app", Release.of(v, "stable", artifact).withManifest(published.manifest()),
          Instant.now().plus(Duration.ofDays(30)));
    }
    Updater updater = SignedChildMain.updater(f.template, f.repository, f.publicKey);
    updater.install(updater.find(V1).orElseThrow());
    Files.writeString(f.template.resolve("shared/data/db.txt"), "rows 1..3\n");
    f.trees.put(V1, TreeSnapshot.of(f.template.resolve("current")));
    // The tree 1.1.0 must have: a clean update of a copy of the template.
    Path updated = f.home(root.resolve("updated"));
    Updater second = SignedChildMain.updater(updated, f.repository, f.publicKey);
    second.install(second.find(V2).orElseThrow());
    f.trees.put(V2, TreeSnapshot.of(updated.resolve("current")));
    return f;
  }

  /** A fresh home at {@code home} with {@link #V1} installed, as the template has it. */
  Path home(Path home) throws IOException {
    try (Stream<Path> paths = Files.walk(template)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path to = home.resolve(template.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.createSymbolicLink(to, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(to);
          Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(p));
        } else {
          Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
    return home;
  }

  /** A new updater on {@code home}, configured exactly as the child's. */
  Updater updater(Path home) {
    return SignedChildMain.updater(home, repository, publicKey);
  }

  /** The child's arguments before its mode: the home, the repository and the public key. */
  String[] args(Path home, String... more) {
    String[] all = new String[3 + more.length];
    all[0] = home.toString();
    all[1] = repository.toString();
    all[2] = publicKey.toString();
    System.arraycopy(more, 0, all, 3, more.length);
    return all;
  }

  /** The release tree of {@code v}: {@link #FILES} files, a tenth of them changed in 1.1.0. */
  private static RawArchives.Tar tree(Version v) {
    RawArchives.Tar tar = RawArchives.tar().dir("bin").dir("lib");
    for (int d = 0; d < FILES / 10; d++) {
      tar.dir("lib/d" + d);
    }
    tar.file("VERSION", v.toString().getBytes(StandardCharsets.UTF_8), 0644);
    tar.file("bin/app", ("#!/bin/sh\necho app " + v + "\n").getBytes(StandardCharsets.UTF_8),
        0755);
    for (int i = 0; i < FILES - 2; i++) {
      boolean changed = i % 10 == 0 && v.equals(V2);
      byte[] bytes = new byte[2048];
      new Random(changed ? -i - 1 : i).nextBytes(bytes);
      tar.file("lib/d" + i / 10 + "/f" + i + ".bin", bytes, 0644);
    }
    return tar;
  }
}
