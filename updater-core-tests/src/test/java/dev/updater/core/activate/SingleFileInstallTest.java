package dev.updater.core.activate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.HistoryEntry;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.stage.SingleFileStager;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installing an application that is one executable file, through the public API with real files
 * and processes: the release's file replaces the live one by rename and the previous one is kept
 * as {@code .bak}; a rollback, a failed health check and a crash at any point of the switch leave
 * exactly the old or the new file; bad input is refused with nothing changed.
 */
class SingleFileInstallTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");
  static final Version V3 = Version.parse("1.2.0");

  @TempDir Path tmp;
  Path home;
  Path repo;
  Path target;

  @BeforeEach
  void publishThreeReleases() throws IOException {
    home = tmp.resolve("home");
    repo = tmp.resolve("repo");
    target = Files.createDirectories(tmp.resolve("bin")).resolve("myapp");
    for (Version v : List.of(V1, V2, V3)) {
      publish(v, script(v));
    }
  }

  private void publish(Version version, String content) throws IOException {
    Path file = Files.createDirectories(tmp.resolve("build")).resolve("myapp-" + version);
    Files.writeString(file, content);
    RepositoryWriter writer = RepositoryWriter.unsigned(repo);
    writer.putArtifact(version, file, RepositoryWriter.IfDifferent.REFUSE);
    writer.publish("myapp", Release.of(version, "stable", writer.describe(version, file)),
        Instant.now().plusSeconds(86_400));
  }

  static String script(Version v) {
    return "#!/bin/sh\necho myapp " + v + "\n";
  }

  private Updater.Builder builder() {
    return Updaters.builder(home, DirectoryReleaseSource.of(repo))
        .stager(SingleFileStager.create())
        .activator(SingleFileActivator.builder(Layout.of(home), target).build());
  }

  private static Release find(Updater updater, Version v) {
    return updater.find(v).orElseThrow();
  }

  /** Runs the live file as a program and returns what it printed. */
  private String runTarget() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(target.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), UTF_8).strip();
  }

  @Test
  void shouldReplaceTheLiveFileAndKeepThePreviousAsBak() throws Exception {
    Updater updater = builder().build();
    updater.install(find(updater, V1));

    UpdateResult result = updater.install(find(updater, V2));

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    assertThat(runTarget()).isEqualTo("myapp 1.1.0");
    assertThat(target.resolveSibling("myapp.bak")).hasContent(script(V1).strip());
    assertThat(updater.status().installed()).contains(V2);
    assertThat(Files.list(target.getParent()).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("myapp", "myapp.bak");
  }

  @Test
  void shouldPutThePreviousFileBackOnRollback() throws Exception {
    Updater updater = builder().build();
    updater.install(find(updater, V1));
    updater.install(find(updater, V2));

    UpdateResult result = updater.rollback();

    assertThat(result).isEqualTo(new UpdateResult.RolledBack(V2, V1));
    assertThat(runTarget()).isEqualTo("myapp 1.0.0");
    assertThat(updater.status().installed()).contains(V1);
  }

  @Test
  void shouldPutThePreviousFileBackWhenTheNewOneFailsItsHealthCheck() throws Exception {
    Updater updater = builder().healthCheck(ctx -> {
      if (ctx.to().equals(V2)) {
        throw new IOException("myapp 1.1.0 answers 500");
      }
    }).build();
    updater.install(find(updater, V1));

    assertThatThrownBy(() -> updater.install(find(updater, V2)))
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED));

    assertThat(runTarget()).isEqualTo("myapp 1.0.0");
    assertThat(updater.status().installed()).contains(V1);
    assertThat(updater.history().get(updater.history().size() - 1).outcome())
        .isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
  }

  @Test
  void shouldKeepAFileInstalledByHandAndPutItBackWhenTheFirstInstallFails() throws Exception {
    Files.writeString(target, "#!/bin/sh\necho installed by hand\n");
    Updater updater = builder().healthCheck(ctx -> {
      throw new IOException("not healthy");
    }).build();

    assertThatThrownBy(() -> updater.install(find(updater, V1)))
        .isInstanceOf(UpdateException.class);

    assertThat(target).hasContent("#!/bin/sh\necho installed by hand");
    assertThat(updater.status().installed()).isEmpty();
  }

  @Test
  void shouldRefuseAMissingTargetDirectoryWithNothingChanged() throws Exception {
    Path elsewhere = tmp.resolve("no-such-dir/myapp");
    Updater updater = Updaters.builder(home, DirectoryReleaseSource.of(repo))
        .stager(SingleFileStager.create())
        .activator(SingleFileActivator.builder(Layout.of(home), elsewhere).build()).build();

    assertThatThrownBy(() -> updater.install(find(updater, V1)))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INVALID_LAYOUT);
          assertThat(e.getMessage()).contains("does not exist", "no-such-dir");
        });
    assertThat(tmp.resolve("no-such-dir")).doesNotExist();
    assertThat(home.resolve("releases/1.0.0")).doesNotExist();
  }

  @Test
  void shouldRefuseAnotherTargetThanTheRecordedOneWithNothingChanged() throws Exception {
    Updater updater = builder().build();
    updater.install(find(updater, V1));
    Path other = tmp.resolve("bin/other");
    Updater wrong = Updaters.builder(home, DirectoryReleaseSource.of(repo))
        .stager(SingleFileStager.create())
        .activator(SingleFileActivator.builder(Layout.of(home), other).build()).build();

    assertThatThrownBy(() -> wrong.install(find(wrong, V2)))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INVALID_LAYOUT);
          assertThat(e.getMessage()).contains("installs its releases at " + target);
        });
    assertThat(other).doesNotExist();
    assertThat(runTarget()).isEqualTo("myapp 1.0.0");
    assertThat(SingleFileActivator.recorded(Layout.of(home)).orElseThrow().target())
        .isEqualTo(target);
  }

  @Test
  void shouldRefuseAReleaseOfSeveralFilesBeforeItIsPublished() throws Exception {
    Updater updater = builder().build();
    updater.install(find(updater, V1));
    Updater archives = Updaters.builder(home, DirectoryReleaseSource.of(repo))
        .stager((file, artifact, dir) -> {
          Files.writeString(dir.resolve("a"), "a");
          Files.writeString(dir.resolve("b"), "b");
        })
        .activator(SingleFileActivator.builder(Layout.of(home), target).build()).build();

    assertThatThrownBy(() -> archives.install(find(archives, V2)))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INVALID_LAYOUT);
          assertThat(e.getMessage()).contains("holds 2 files at its top, not one");
        });
    assertThat(home.resolve("releases/1.1.0")).doesNotExist();
    assertThat(runTarget()).isEqualTo("myapp 1.0.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"single-file-before-rename",
      "single-file-after-rename", "before-CONFIRM"})
  void shouldRecoverToThePreviousFileAfterACrashDuringTheSwitch(String point) throws Exception {
    Updater updater = builder().build();
    updater.install(find(updater, V1));

    assertThat(child(point, "install", V2.toString()).exit).isEqualTo(86);
    Child recovery = child(null, "recover");

    assertThat(recovery.exit).as(recovery.output).isZero();
    assertThat(recovery.output).contains("RECOVERED true");
    assertThat(runTarget()).isEqualTo("myapp 1.0.0");
    assertThat(updater.status().installed()).contains(V1);
    UpdateResult again = builder().build().install(find(updater, V2));
    assertThat(again).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    assertThat(runTarget()).isEqualTo("myapp 1.1.0");
  }

  private record Child(int exit, String output) {}

  private Child child(String faultPoint, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
    if (faultPoint != null) {
      command.add("-Ddev.updater.faultpoint=" + faultPoint);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SingleFileChildMain.class.getName(), home.toString(), repo.toString(),
        target.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return new Child(p.exitValue(), out);
    } finally {
      p.destroyForcibly();
    }
  }
}
