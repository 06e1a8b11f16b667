package dev.updater.core.activate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Feature;
import com.google.common.jimfs.Jimfs;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.ReleaseArchives;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Activation through a pointer file: whole installs, rollbacks and health-check rollbacks on a
 * file system without symbolic links (where the symlink activator refuses to start), crash
 * recovery on the real disk, and a damaged pointer refused with nothing changed.
 */
class PointerInstallTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");

  @TempDir Path tmp;

  private static byte[] archive(Version v) {
    return ReleaseArchives.builder().file("VERSION", v.toString())
        .executable("bin/app", "#!/bin/sh\necho app " + v + "\n").tarGz();
  }

  /** A Unix-like Jimfs with hard links and file channels but no symbolic links. */
  private static FileSystem withoutSymlinks() {
    return Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setAttributeViews("basic", "owner", "posix", "unix")
        .setSupportedFeatures(Feature.LINKS, Feature.FILE_CHANNEL)
        .build());
  }

  @Test
  void shouldTellAPointerHomeFromALinkedOneByItsFiles() throws IOException {
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    Release first = source.publish(V1, archive(V1));
    Layout pointer = Layout.of(tmp.resolve("pointer"));
    Layout linked = Layout.of(tmp.resolve("linked"));
    assertThat(PointerActivator.isPointerHome(pointer)).as("nothing installed yet").isFalse();

    Updaters.builder(pointer.home(), source).activator(PointerActivator.create(pointer)).build()
        .install(first);
    Updaters.builder(linked.home(), source).build().install(first);

    assertThat(PointerActivator.isPointerHome(pointer)).isTrue();
    assertThat(PointerActivator.isPointerHome(linked)).isFalse();
    Files.writeString(linked.home().resolve("current.txt"), "1.0.0\n");
    assertThat(PointerActivator.isPointerHome(linked)).as("a current link wins").isFalse();
  }

  @Test
  void shouldInstallUpgradeAndRollBackOnAFileSystemWithoutSymbolicLinks() throws IOException {
    try (FileSystem fs = withoutSymlinks()) {
      Path home = Files.createDirectories(fs.getPath("/srv/app"));
      InMemoryReleaseSource source = InMemoryReleaseSource.create();
      Release first = source.publish(V1, archive(V1));
      Release second = source.publish(V2, archive(V2));
      Updater updater = Updaters.builder(home, source)
          .activator(PointerActivator.create(Layout.of(home))).build();

      updater.install(first);
      assertThat(updater.install(second)).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
      assertThat(Files.readString(home.resolve("current.txt"))).isEqualTo("1.1.0\n");
      assertThat(home.resolve("releases/1.1.0/VERSION")).hasContent("1.1.0");

      assertThat(updater.rollback()).isEqualTo(new UpdateResult.RolledBack(V2, V1));
      assertThat(Files.readString(home.resolve("current.txt"))).isEqualTo("1.0.0\n");
      assertThat(updater.status().installed()).contains(V1);
    }
  }

  @Test
  void shouldPutThePointerBackWhenTheNewReleaseFailsItsHealthCheck() throws IOException {
    try (FileSystem fs = withoutSymlinks()) {
      Path home = Files.createDirectories(fs.getPath("/srv/app"));
      InMemoryReleaseSource source = InMemoryReleaseSource.create();
      Release first = source.publish(V1, archive(V1));
      Release second = source.publish(V2, archive(V2));
      Updater updater = Updaters.builder(home, source)
          .activator(PointerActivator.create(Layout.of(home)))
          .healthCheck(ctx -> {
            if (ctx.to().equals(V2)) {
              throw new IOException("1.1.0 does not answer");
            }
          }).build();
      updater.install(first);

      assertThatThrownBy(() -> updater.install(second)).isInstanceOfSatisfying(
          UpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED));

      assertThat(Files.readString(home.resolve("current.txt"))).isEqualTo("1.0.0\n");
    }
  }

  @Test
  void shouldShowThatTheSymlinkActivatorRefusesSuchAFileSystemWithNothingChanged()
      throws IOException {
    try (FileSystem fs = withoutSymlinks()) {
      Path home = Files.createDirectories(fs.getPath("/srv/app"));
      InMemoryReleaseSource source = InMemoryReleaseSource.create();
      Release first = source.publish(V1, archive(V1));
      Updater updater = Updaters.builder(home, source).build();

      assertThatThrownBy(() -> updater.install(first)).isInstanceOfSatisfying(
          UpdateException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.INVALID_LAYOUT);
            assertThat(e.getMessage()).contains("symbolic links");
          });
      assertThat(home.resolve("releases")).doesNotExist();
    }
  }

  @Test
  void shouldRefuseAPointerThatNamesNoReleaseWithNothingChanged() throws IOException {
    Path home = tmp.resolve("home");
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    Updater updater = Updaters.builder(home, source)
        .activator(PointerActivator.create(Layout.of(home))).build();
    updater.install(source.publish(V1, archive(V1)));
    Files.writeString(home.resolve("current.txt"), "latest\n");
    Release second = source.publish(V2, archive(V2));

    assertThatThrownBy(() -> updater.install(second)).isInstanceOfSatisfying(
        UpdateException.class, e -> assertThat(e.getMessage())
            .contains("holds 'latest', not the version of a release"));
    assertThat(home.resolve("current.txt")).hasContent("latest");
    assertThat(home.resolve("releases/1.1.0")).doesNotExist();
  }

  @Test
  void shouldRefuseABadPointerName() {
    Layout layout = Layout.of(tmp);
    assertThatThrownBy(() -> PointerActivator.builder(layout).pointer("../current"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain file name");
    assertThatThrownBy(() -> PointerActivator.builder(layout).keep(1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pointer-before-rename", "after-swap", "before-CONFIRM"})
  void shouldRecoverToThePreviousReleaseAfterACrashDuringTheSwitch(String point)
      throws Exception {
    Path home = tmp.resolve("home");
    Path repo = tmp.resolve("repo");
    RepositoryWriter writer = RepositoryWriter.unsigned(repo);
    for (Version v : List.of(V1, V2)) {
      Path file = Files.createDirectories(tmp.resolve("build")).resolve("app-" + v + ".tar.gz");
      Files.write(file, archive(v));
      writer.putArtifact(v, file, RepositoryWriter.IfDifferent.REFUSE);
      writer.publish("app", Release.of(v, "stable", writer.describe(v, file)),
          Instant.now().plusSeconds(86_400));
    }
    Updater updater = PointerChildMain.updater(home, repo);
    updater.install(updater.find(V1).orElseThrow());

    assertThat(child(home, repo, point, "install", V2.toString())).isEqualTo(86);
    assertThat(child(home, repo, null, "recover")).isZero();

    assertThat(Files.readString(home.resolve("current.txt"))).isEqualTo("1.0.0\n");
    assertThat(updater.status().installed()).contains(V1);
    assertThat(updater.install(updater.find(V2).orElseThrow()))
        .isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
  }

  private static int child(Path home, Path repo, String faultPoint, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
    if (faultPoint != null) {
      command.add("-Ddev.updater.faultpoint=" + faultPoint);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        PointerChildMain.class.getName(), home.toString(), repo.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  }
}
