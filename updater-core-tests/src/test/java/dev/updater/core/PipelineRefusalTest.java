package dev.updater.core;

import dev.updater.core.stage.ArchiveStager;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.Stager;
import dev.updater.testkit.RawArchives;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Releases the pipeline refuses over a live 1.0.0: unsafe or corrupt archives, artifacts that do
 * not match the index, gates, too little disk, a home the activator cannot switch. Each leaves
 * {@code current}, {@code releases/}, {@code shared/} and the journal exactly as they were.
 */
class PipelineRefusalTest {
  @TempDir Path tmp;

  Path home;
  Layout layout;
  TestRepository repo;

  @BeforeEach
  void installLiveRelease() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    Updater first = builder().build();
    first.install(repo.publish(v("1.0.0")));
    Files.writeString(layout.shared().resolve("data/db.txt"), "row 1\n");
  }

  Updater.Builder builder() {
    return Updaters.sharing(home, repo.source(), "data");
  }

  // ---- unsafe and corrupt archives -------------------------------------------------------------

  /** Writes an archive to the given file. */
  @FunctionalInterface
  interface ArchiveWriter {
    void write(Path out) throws IOException;
  }

  /**
   * A hostile archive, the stager that must refuse it, and what the refusal must say (so that a
   * case is not passed by an unrelated rejection).
   */
  record Hostile(ArchiveWriter archive, Stager stager, String says) {
    static Hostile of(String says, ArchiveWriter archive) {
      return new Hostile(archive, ArchiveStager.defaults(), says);
    }
  }

  static RawArchives.Tar release() {
    return RawArchives.tar().file("VERSION", "1.1.0").file("bin/app", "#!/bin/sh\n", 0755);
  }

  static Stream<Named<Hostile>> hostileArchives() {
    return Stream.of(
        Named.of("traversal ../evil",
            Hostile.of("'../evil' leaves the release",
                out -> release().file("../evil", "x").writeTarGz(out))),
        Named.of("absolute /tmp/evil",
            Hostile.of("absolute path", out -> release().file("/tmp/evil", "x").writeTarGz(out))),
        Named.of("symlink to /etc/passwd",
            Hostile.of("symbolic link to '/etc/passwd'",
                out -> release().symlink("passwd", "/etc/passwd").writeTarGz(out))),
        Named.of("symlink escape l -> ../../.. then l/x",
            Hostile.of("'l' is a symbolic link",
                out -> release().symlink("l", "../../..").file("l/x", "x").writeTarGz(out))),
        Named.of("hardlink outside",
            Hostile.of("hard link",
                out -> release().hardlink("h", "../../../etc/passwd").writeTarGz(out))),
        Named.of("character device",
            Hostile.of("character device",
                out -> release().charDevice("dev/null").writeTarGz(out))),
        Named.of("FIFO",
            Hostile.of("FIFO", out -> release().fifo("run/pipe").writeTarGz(out))),
        Named.of("duplicate entry",
            Hostile.of("appears twice",
                out -> release().file("config.yml", "a").file("config.yml", "b").writeTarGz(out))),
        Named.of("case collision",
            Hostile.of("differ only in case",
                out -> release().file("README", "a").file("readme", "b").writeTarGz(out))),
        Named.of("too many entries",
            new Hostile(out -> release().file("a", "1").file("b", "2").file("c", "3")
                .writeTarGz(out), ArchiveStager.builder().maxEntries(3).build(), "maxEntries")),
        Named.of("too many bytes",
            new Hostile(out -> release().file("big", "x".repeat(4096)).writeTarGz(out),
                ArchiveStager.builder().maxTotalBytes(1024).build(), "maxTotalBytes")),
        Named.of("truncated gzip",
            Hostile.of("corrupt or truncated", out -> {
              release().file("payload", "y".repeat(64 * 1024)).writeTarGz(out);
              byte[] whole = Files.readAllBytes(out);
              Files.write(out, Arrays.copyOf(whole, whole.length / 2));
            })),
        Named.of("garbage bytes",
            Hostile.of("corrupt or truncated", out -> {
              byte[] garbage = new byte[4096];
              new Random(42).nextBytes(garbage);
              Files.write(out, garbage);
            })));
  }

  Release publishHostile(Hostile hostile) throws IOException {
    Path file = tmp.resolve("hostile.tar.gz");
    hostile.archive().write(file);
    return repo.publishArchive(v("1.1.0"), "app-1.1.0.tar.gz", Files.readAllBytes(file),
        UnaryOperator.identity());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileArchives")
  void shouldRejectAnUnsafeArchiveAndLeaveTheInstallAsItWas(Hostile hostile) throws IOException {
    Release release = publishHostile(hostile);
    Updater updater = builder().stager(hostile.stager()).build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e).as("install must fail").isNotNull();
    assertThat(e.reason()).isEqualTo(Reason.ARCHIVE_REJECTED);
    assertThat(e.step()).contains(Step.STAGE);
    assertThat(e).hasMessageContaining(hostile.says());
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertStagingIsEmptyOrAbsent();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileArchives")
  void shouldShowARejectedArchiveAsFailedUntilTheErrorIsCleared(Hostile hostile)
      throws IOException {
    Release release = publishHostile(hostile);
    Updater updater = builder().stager(hostile.stager()).build();
    int entries = updater.history().size();

    catchThrowableOfType(() -> updater.install(release), UpdateException.class);

    UpdateStatus failed = updater.status();
    assertThat(failed.state()).isEqualTo(UpdateStatus.State.FAILED);
    assertThat(failed.phase()).isEqualTo(Phase.ERROR);
    assertThat(failed.installed()).contains(v("1.0.0"));
    assertThat(failed.error()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo(Reason.ARCHIVE_REJECTED);
      assertThat(f.step()).contains(Step.STAGE);
    });
    assertThat(updater.history()).hasSize(entries + 1).last().satisfies(h -> {
      assertThat(h.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(h.reason()).contains(Reason.ARCHIVE_REJECTED);
      assertThat(h.to()).contains(v("1.1.0"));
    });

    updater.clearError();

    UpdateStatus cleared = updater.status();
    assertThat(cleared.state()).isEqualTo(UpdateStatus.State.COMPLETE);
    assertThat(cleared.error()).isEmpty();
    assertThat(cleared.installed()).contains(v("1.0.0"));
  }

  void assertStagingIsEmptyOrAbsent() throws IOException {
    Path staging = layout.state().resolve("staging");
    if (Files.exists(staging)) {
      try (Stream<Path> left = Files.list(staging)) {
        assertThat(left).as("left in %s", staging).isEmpty();
      }
    }
  }

  // ---- artifacts that do not match the index ---------------------------------------------------

  @Test
  void shouldRefuseAnArtifactWithTheWrongDigestBeforeStagingAnything() throws IOException {
    Release good = repo.publish(v("1.1.0"));
    Release tampered = repo.publishArchive(v("1.1.0"), "app-1.1.0.tar.gz",
        Files.readAllBytes(repo.artifactFile(good)),
        r -> TestRepository.withArtifact(r, a -> new Artifact(a.name(), a.size(), "ab".repeat(32),
            a.location())));
    Updater updater = builder().build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(tampered),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e.step()).contains(Step.VERIFY);
    assertThat(e).hasMessageContaining("SHA-256");
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertThat(layout.state().resolve("staging")).doesNotExist();
    assertThat(downloads()).as("the downloaded file is deleted").isEmpty();
    assertThat(updater.status().error()).map(UpdateStatus.Failure::reason)
        .contains(Reason.VERIFICATION_FAILED);
  }

  @Test
  void shouldStopADownloadThatSendsMoreThanTheDeclaredSize() throws IOException {
    Release release = repo.publish(v("1.1.0"));
    ReleaseSource endless = new EndlessSource(repo.source());
    Updater updater = builder().source(endless).build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e.step()).contains(Step.DOWNLOAD);
    assertThat(e).hasMessageContaining("more than the declared");
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertThat(downloads()).isEmpty();
  }

  /** Lists the index of a real repository but serves endless bytes for every artifact. */
  static final class EndlessSource implements ReleaseSource {
    private final ReleaseSource index;

    EndlessSource(ReleaseSource index) {
      this.index = index;
    }

    @Override
    public ReleaseIndex index(String channel) throws IOException {
      return index.index(channel);
    }

    @Override
    public InputStream open(Artifact artifact, long offset) {
      return new InputStream() {
        @Override
        public int read() {
          return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
          Arrays.fill(b, off, off + len, (byte) 'x');
          return len;
        }
      };
    }
  }

  @Test
  void shouldRefuseToDownloadWhenTheDiskIsTooSmall() throws IOException {
    Release release = repo.publish(v("1.1.0"));
    Updater updater = builder().freeSpace(Long.MAX_VALUE / 4, 0).build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_SPACE);
    assertThat(e.step()).contains(Step.CHECK);
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertThat(downloads()).isEmpty();
  }

  // ---- gates -----------------------------------------------------------------------------------

  @Test
  void shouldRefuseALowerVersionUnlessADowngradeIsAskedFor() throws IOException {
    Release older = repo.publish(v("0.9.0"));
    Updater updater = builder().build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(older),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.DOWNGRADE_REFUSED);
    assertThat(e.reason().isConflict()).isTrue();
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertThat(updater.history()).last().extracting(HistoryEntry::outcome)
        .isEqualTo(Outcome.REFUSED);
  }

  @Test
  void shouldInstallALowerVersionWhenADowngradeIsAskedFor() throws IOException {
    Release older = repo.publish(v("0.9.0"));
    Updater updater = builder().build();

    UpdateResult result = updater.downgrade(older);

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(v("1.0.0")), v("0.9.0")));
    assertThat(layout.current().resolve("VERSION")).hasContent("0.9.0");
    assertThat(updater.status().previous()).contains(v("1.0.0"));
  }

  @Test
  void shouldRefuseAReleaseThatCannotUpgradeFromTheLiveVersion() throws IOException {
    Release release = repo.publishArchive(v("2.0.0"), "app-2.0.0.tar.gz",
        Files.readAllBytes(repo.artifactFile(repo.publish(v("2.0.0")))),
        r -> TestRepository.withRequirements(r,
            new Requirements(java.util.Set.of(), Optional.of(v("1.5.0")))));
    Updater updater = builder().build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
    assertThat(e).hasMessageContaining("1.5.0");
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertThat(downloads()).isEmpty();
  }

  @Test
  void shouldRefuseAReleaseThatAGateFindsIncompatible() throws IOException {
    Release release = repo.publish(v("1.1.0"));
    Updater updater = builder()
        .gate((r, installed) -> {
          throw new IncompatibleReleaseException(r.version() + " does not support SQLite");
        })
        .build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
    assertThat(e.reason().isConflict()).isTrue();
    assertThat(e.step()).contains(Step.CHECK);
    assertThat(e).hasMessageContaining("does not support SQLite");
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertThat(downloads()).isEmpty();
    assertThat(updater.history()).last().satisfies(h -> {
      assertThat(h.outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(h.reason()).contains(Reason.INCOMPATIBLE);
    });
  }

  // ---- host failures before the switch ---------------------------------------------------------

  @Test
  void shouldRemoveTheStagedTreeWhenAnAfterStageHookFails() throws IOException {
    Release release = repo.publish(v("1.1.0"));
    Updater updater = builder()
        .after(Step.STAGE, ctx -> {
          throw new IOException("npm ci failed");
        })
        .build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.HOOK_FAILED);
    assertThat(e.step()).contains(Step.STAGE);
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertStagingIsEmptyOrAbsent();
  }

  @Test
  void shouldRemoveThePublishedReleaseWhenAGuardCannotTakeItsSnapshot() throws IOException {
    Release release = repo.publish(v("1.1.0"));
    Updater updater = builder()
        .guard(ctx -> {
          throw new IllegalStateException("cannot count the orders table");
        })
        .build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e.step()).contains(Step.BACKUP);
    assertThat(e).hasMessageContaining("cannot count the orders table");
    assertThat(HomeSnapshot.of(layout)).as("releases/1.1.0 is removed again").isEqualTo(before);
    assertThat(updater.history()).last().extracting(HistoryEntry::outcome)
        .isEqualTo(Outcome.FAILED);
  }

  // ---- source and layout -----------------------------------------------------------------------

  @Test
  void shouldReportAMissingChannelAsSourceUnavailable() {
    Updater updater = builder().channel("beta").build();

    UpdateException e = catchThrowableOfType(updater::check, UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.SOURCE_UNAVAILABLE);
    assertThat(e).hasMessageContaining("beta");
  }

  @Test
  void shouldRefuseToSwitchWhenCurrentIsARealDirectory() throws IOException {
    Release release = repo.publish(v("1.1.0"));
    Files.delete(layout.current());
    Files.createDirectories(layout.current().resolve("bin"));
    Files.writeString(layout.current().resolve("VERSION"), "0.1.0");
    Updater updater = builder().build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    UpdateException e = catchThrowableOfType(() -> updater.install(release),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.INVALID_LAYOUT);
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertThat(layout.current().resolve("VERSION")).hasContent("0.1.0");
    assertThat(Files.isSymbolicLink(layout.current())).isFalse();
    assertThat(downloads()).isEmpty();
  }

  List<Path> downloads() throws IOException {
    Path dir = layout.state().resolve("downloads");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
