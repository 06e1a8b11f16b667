package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.Artifact;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.testkit.crash.ChildJvm;
import dev.updater.testkit.crash.CrashChecks;
import dev.updater.testkit.crash.FaultPoint;
import dev.updater.testkit.crash.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The crash kit as a host uses it (the example of {@code docs/testing.md}): the host's own upgrade
 * flow runs in a child JVM killed at a fault point, and the next start must settle on exactly one
 * release and then reach the newest.
 */
class CrashKitExampleTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");

  @TempDir Path tmp;
  private Path repo;
  private Path home;
  private final Map<Version, TreeSnapshot> trees = new java.util.HashMap<>();

  /** The host's updater, built the same way in the test and in the child. */
  static Updater updater(Path home, Path repo) {
    Path schema = Layout.of(home).shared().resolve("data/schema.txt");
    return Updaters.sharing(home, DirectoryReleaseSource.of(repo), "data")
        .migrationRunner(ctx -> Files.writeString(schema, "schema of " + ctx.to()))
        .build();
  }

  /** The child: what the host's "update now" button does. */
  public static final class InstallNewest {
    public static void main(String[] args) {
      Updater updater = updater(Path.of(args[0]), Path.of(args[1]));
      updater.check().ifPresent(updater::install);
    }
  }

  @BeforeEach
  void installTheOldReleaseAndPublishTheNew() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    publish(V1);
    Updater updater = updater(home, repo);
    updater.install(updater.check().orElseThrow());
    trees.put(V1, TreeSnapshot.of(home.resolve("current")));
    publish(V2);
    Updater clean = updater(tmp.resolve("clean"), repo);    // the tree 1.1.0 must have
    clean.install(clean.find(V2).orElseThrow());
    trees.put(V2, TreeSnapshot.of(tmp.resolve("clean/current")));
  }

  @ParameterizedTest
  @EnumSource(value = FaultPoint.class,
      names = {"AFTER_PUBLISH", "AFTER_SWAP", "AFTER_COMPLETE"})
  void theNextStartSettlesAndTheNextInstallReachesTheNewest(FaultPoint point) throws Exception {
    ChildJvm.of(InstallNewest.class, home.toString(), repo.toString())
        .haltAt(point).run().requireHalted();

    Updater updater = updater(home, repo);                   // the next start
    CrashChecks.assertSettled(updater, trees);               // exactly 1.0.0 or 1.1.0
    assertThat(updater.quarantined()).isEmpty();              // a crash is no release's fault
    CrashChecks.assertConverges(updater, V2);                 // and the next install gets there
  }

  /** Publishes a release of three files, as the host's build would (unsigned, for brevity). */
  private void publish(Version v) throws IOException {
    Path archive = tmp.resolve("app-" + v + ".tar.gz");
    Files.write(archive, ReleaseArchives.builder().file("VERSION", v.toString())
        .executable("bin/app", "#!/bin/sh\necho app " + v + "\n")
        .file("lib/notes.txt", "notes of " + v).tarGz());
    RepositoryWriter writer = RepositoryWriter.unsigned(repo);
    Artifact artifact = writer.putArtifact(v, archive, RepositoryWriter.IfDifferent.REFUSE);
    writer.publish("app", Release.of(v, "stable", artifact),
        Instant.now().plus(Duration.ofDays(1)));
  }
}
