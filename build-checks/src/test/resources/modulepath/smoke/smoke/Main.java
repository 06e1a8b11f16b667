package smoke;

import dev.updater.core.Artifact;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.source.ReleaseSources;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A host application on the module path: opens a directory repository through the source
 * registry, installs a release, switches back, and checks a minisign signature. Prints one line
 * per step; any failure is an exception and a non-zero exit.
 */
public final class Main {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Path repo = work.resolve("repo");
    Path home = work.resolve("home");
    Release r1 = publish(repo, "1.0.0");
    Release r2 = publish(repo, "1.1.0");
    RepositoryWriter.unsigned(repo).writeIndex(
        new ReleaseIndex("smoke", "stable", 1, Optional.empty(), List.of(r1, r2)));

    ReleaseSource source = ReleaseSources.open(
        ReleaseSourceProvider.Request.unsigned(ReleaseSources.location(repo.toString())));
    Updater updater = Updater.builder()
        .home(home)
        .source(source)
        .activator(SymlinkActivator.create(Layout.of(home)))
        .freeSpace(0, 0)
        .build();
    UpdateResult first = updater.install(updater.find(Version.parse("1.0.0")).orElseThrow());
    System.out.println("installed " + first + " " + Files.readString(home.resolve("current/VERSION")));
    UpdateResult second = updater.install(updater.check().orElseThrow());
    System.out.println("updated " + second + " " + Files.readString(home.resolve("current/VERSION")));
    UpdateResult back = updater.rollback();
    System.out.println("rolled back " + back + " " + Files.readString(home.resolve("current/VERSION")));
    System.out.println("history " + updater.history().size() + " status " + updater.status().state());

    SigningKey key = SigningKey.generate();
    byte[] data = "signed on the module path".getBytes(StandardCharsets.UTF_8);
    String comment = TrustedKeys.parse(key.publicKeyText()).verify(data, key.sign(data, "smoke"));
    System.out.println("verified " + comment);
  }

  private static Release publish(Path repo, String version) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("VERSION"));
      zip.write(version.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    byte[] archive = bytes.toByteArray();
    String name = "app-" + version + ".zip";
    Path file = repo.resolve("releases").resolve(version).resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, archive);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
    return Release.of(Version.parse(version), "stable",
        new Artifact(name, archive.length, sha256, "releases/" + version + "/" + name));
  }
}
