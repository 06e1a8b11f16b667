package dev.updater.spring.boot;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.testkit.ReleaseArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A signed update repository on the real disk, written through the library's public {@link
 * RepositoryWriter} as a vendor's build would: each release is a {@code tar.gz} holding {@code
 * VERSION} and {@code app.txt}, on the channel {@code stable} of the application {@code demo}.
 */
final class SignedRepository {
  static final String APPLICATION = "demo";

  final Path root;
  final SigningKey key = SigningKey.generate();
  private final RepositoryWriter writer;
  private final Path build;

  SignedRepository(Path dir) throws IOException {
    this.root = Files.createDirectories(dir.resolve("repository"));
    this.build = Files.createDirectories(dir.resolve("build"));
    this.writer = RepositoryWriter.signed(root, key);
  }

  /** Publishes {@code version} on {@code stable}, its index valid for 30 days. */
  Release publish(String version) throws IOException {
    Version v = Version.parse(version);
    Path archive = build.resolve("app-" + version + ".tar.gz");
    Files.write(archive, ReleaseArchives.tarGz(Map.of("VERSION", version,
        "app.txt", "the application at " + version + "\n")));
    Artifact artifact = writer.putArtifact(v, archive, RepositoryWriter.IfDifferent.REFUSE);
    Release release = Release.of(v, "stable", artifact);
    writer.publish(APPLICATION, release, Instant.now().plus(Duration.ofDays(30)));
    return release;
  }

  /** The public key's text, as a {@code .pub} file holds it. */
  String publicKey() {
    return key.publicKeyText();
  }

  /** The public key's base64 line, as {@code updater.trusted-keys} takes it in a property. */
  String publicKeyLine() {
    String[] lines = key.publicKeyText().strip().split("\n");
    return lines[lines.length - 1];
  }

  /** Installs {@code version} into {@code home} with the library alone, as a first install. */
  void installInto(Path home, String version) {
    Updater updater = Updater.builder().home(home)
        .source(DirectoryReleaseSource.of(root, TrustedKeys.parse(publicKey())))
        .freeSpace(0, 0).build();
    updater.install(updater.find(Version.parse(version)).orElseThrow());
  }
}
