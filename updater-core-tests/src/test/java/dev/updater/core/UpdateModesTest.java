package dev.updater.core;

import dev.updater.core.source.HttpReleaseSource;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateScheduler.Tick;
import dev.updater.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update modes driven by the {@link UpdateScheduler} against a real HTTP server on 127.0.0.1
 * that counts every request: DISABLED makes none, NOTIFY downloads once and installs only after
 * approval, AUTO installs within one tick (inside the maintenance window).
 */
class UpdateModesTest {
  @TempDir Path tmp;

  private TestRepository repo;
  private FaultyHttpServer server;
  private Path home;
  private Release r110;
  private UpdateScheduler scheduler;

  @BeforeEach
  void installOneZeroAndPublishOneOne() throws IOException {
    repo = new TestRepository(tmp.resolve("repo"));
    home = tmp.resolve("home");
    Release r100 = repo.publish(v("1.0.0"));
    Updater.builder().home(home).source(repo.source()).freeSpace(0, 3).build().install(r100);
    r110 = repo.publish(v("1.1.0"));
    server = FaultyHttpServer.serve(repo.root);
  }

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    server.close();
  }

  private Updater updater(UpdateMode mode) {
    return Updater.builder().home(home).source(HttpReleaseSource.of(server.baseUrl()))
        .freeSpace(0, 3).mode(mode).build();
  }

  private int artifactDownloads() {
    return server.requests("/" + r110.primaryArtifact().location());
  }

  private int allRequests() {
    return server.requestHeaders().size();
  }

  @Test
  void shouldMakeNoRequestAtAllWhenDisabled() throws InterruptedException {
    CountDownLatch threeTicks = new CountDownLatch(3);
    List<Tick> ticks = new CopyOnWriteArrayList<>();
    scheduler = UpdateScheduler.builder(updater(UpdateMode.DISABLED))
        .interval(Duration.ofMillis(5)).jitter(Duration.ZERO)
        .onTick(t -> {
          ticks.add(t);
          threeTicks.countDown();
        })
        .build().start();

    assertThat(threeTicks.await(30, TimeUnit.SECONDS)).isTrue();
    scheduler.close();

    assertThat(ticks).isNotEmpty().allSatisfy(t -> assertThat(t).isInstanceOf(Tick.Disabled.class));
    assertThat(allRequests()).isZero();
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
  }

  @Test
  void shouldPreDownloadOnceAndInstallOnlyAfterApprovalInNotifyMode() {
    scheduler = UpdateScheduler.builder(updater(UpdateMode.NOTIFY)).build();

    Tick first = scheduler.tick();
    Tick second = scheduler.tick();

    assertThat(first).isEqualTo(new Tick.AwaitingApproval(r110));
    assertThat(second).isEqualTo(new Tick.AwaitingApproval(r110));
    assertThat(scheduler.awaitingApproval()).contains(r110);
    assertThat(scheduler.updater().isPrefetched(r110)).isTrue();
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
    assertThat(artifactDownloads()).isEqualTo(1);

    UpdateResult result = scheduler.approve();

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(v("1.0.0")), v("1.1.0")));
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(artifactDownloads()).isEqualTo(1);
    assertThat(scheduler.awaitingApproval()).isEmpty();
    assertThat(scheduler.tick()).isInstanceOf(Tick.UpToDate.class);
  }

  @Test
  void shouldInstallThePreDownloadedCopyThroughAPlainInstallToo() {
    Updater updater = updater(UpdateMode.NOTIFY);
    updater.prefetch(r110);

    updater.install(updater.check().orElseThrow());

    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(artifactDownloads()).isEqualTo(1);
    assertThat(home.resolve(".updater/prefetch")).isDirectoryNotContaining("glob:**.tar.gz");
  }

  @Test
  void shouldVerifyThePreDownloadedCopyAgainBeforeUsingIt() throws IOException {
    Updater updater = updater(UpdateMode.NOTIFY);
    updater.prefetch(r110);
    Path copy = home.resolve(".updater/prefetch").resolve(r110.primaryArtifact().sha256() + "-"
        + r110.primaryArtifact().name());
    byte[] bytes = Files.readAllBytes(copy);
    bytes[bytes.length / 2] ^= 1; // one bit flipped on disk after it was verified
    Files.write(copy, bytes);

    updater.install(r110); // the bad copy is hashed, deleted, downloaded again and verified

    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(artifactDownloads()).isEqualTo(2);
    assertThat(home.resolve(".updater/prefetch")).isDirectoryNotContaining("glob:**.tar.gz");
  }

  @Test
  void shouldInstallWithinOneSchedulerTickInAutoMode() throws InterruptedException {
    CountDownLatch firstTick = new CountDownLatch(1);
    List<Tick> ticks = new CopyOnWriteArrayList<>();
    scheduler = UpdateScheduler.builder(updater(UpdateMode.AUTO))
        .interval(Duration.ofHours(1)).jitter(Duration.ZERO)
        .onTick(t -> {
          ticks.add(t);
          firstTick.countDown();
        })
        .build().start();

    assertThat(firstTick.await(30, TimeUnit.SECONDS)).isTrue();

    assertThat(ticks.get(0)).isEqualTo(new Tick.Installed(r110,
        new UpdateResult.Updated(Optional.of(v("1.0.0")), v("1.1.0"))));
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(artifactDownloads()).isEqualTo(1);
  }

  @Test
  void shouldWaitForTheMaintenanceWindowInAutoMode() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));
    MaintenanceWindow window = MaintenanceWindow.parse("02:00-04:00");
    scheduler = UpdateScheduler.builder(updater(UpdateMode.AUTO))
        .maintenanceWindow(window).clock(clock).build();

    Tick noon = scheduler.tick();
    clock.advance(Duration.ofHours(13)); // 01:00 the next day, still outside
    Tick one = scheduler.tick();

    assertThat(noon).isEqualTo(new Tick.OutsideWindow(r110, window));
    assertThat(one).isEqualTo(new Tick.OutsideWindow(r110, window));
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");

    clock.advance(Duration.ofMinutes(90)); // 02:30
    Tick inside = scheduler.tick();

    assertThat(inside).isInstanceOf(Tick.Installed.class);
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(artifactDownloads()).isEqualTo(1);
  }

  @Test
  void shouldNeverRunTwoChecksAtOnce() throws Exception {
    CountDownLatch inIndex = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger indexCalls =
        new java.util.concurrent.atomic.AtomicInteger();
    HttpReleaseSource http = HttpReleaseSource.of(server.baseUrl());
    dev.updater.core.spi.ReleaseSource blocking = new dev.updater.core.spi.ReleaseSource() {
      @Override
      public ReleaseIndex index(String channel) throws IOException {
        indexCalls.incrementAndGet();
        inIndex.countDown();
        try {
          proceed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
        return http.index(channel);
      }

      @Override
      public java.io.InputStream open(Artifact artifact, long offset) throws IOException {
        return http.open(artifact, offset);
      }
    };
    scheduler = UpdateScheduler.builder(Updater.builder().home(home).source(blocking)
        .freeSpace(0, 3).build()).build();
    java.util.concurrent.CompletableFuture<Tick> running =
        java.util.concurrent.CompletableFuture.supplyAsync(scheduler::tick);
    assertThat(inIndex.await(30, TimeUnit.SECONDS)).isTrue();

    Tick overlapping = scheduler.tick();
    proceed.countDown();

    assertThat(overlapping).isEqualTo(new Tick.Busy());
    assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(new Tick.AwaitingApproval(r110));
    assertThat(indexCalls).hasValue(1);
  }

  @Test
  void shouldNeitherPreDownloadNorInstallAnIncompatibleRelease() {
    dev.updater.core.spi.ReleaseGate sqliteInstall = (release, installed) -> {
      throw new dev.updater.core.spi.IncompatibleReleaseException(release.version()
          + " requires postgresql");
    };
    scheduler = UpdateScheduler.builder(Updater.builder().home(home)
        .source(HttpReleaseSource.of(server.baseUrl())).freeSpace(0, 3).mode(UpdateMode.AUTO)
        .gate(sqliteInstall).build()).build();

    Tick tick = scheduler.tick();

    assertThat(tick).isEqualTo(new Tick.Incompatible(r110, "1.1.0 requires postgresql"));
    assertThat(artifactDownloads()).isZero();
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
  }

  @Test
  void shouldReportAFailedCheckAsATickAndKeepTicking() {
    server.always("/channels/stable.json", FaultyHttpServer.Fault.status(404));
    scheduler = UpdateScheduler.builder(updater(UpdateMode.AUTO)).build();

    Tick tick = scheduler.tick();

    assertThat(tick).isInstanceOfSatisfying(Tick.Failed.class, f ->
        assertThat(f.error().reason()).isEqualTo(UpdateException.Reason.SOURCE_UNAVAILABLE));
    assertThat(scheduler.lastCheck()).isEmpty();
    assertThat(scheduler.lastTick()).contains(tick);
  }

  @Test
  void shouldRefuseApprovalWhenNothingAwaitsIt() {
    scheduler = UpdateScheduler.builder(updater(UpdateMode.NOTIFY)).build();

    assertThatThrownBy(scheduler::approve)
        .isInstanceOfSatisfying(UpdateException.class, e ->
            assertThat(e.reason()).isEqualTo(UpdateException.Reason.INVALID_STATE));
  }

  @Test
  void shouldNotStartAgainAfterClose() {
    scheduler = UpdateScheduler.builder(updater(UpdateMode.NOTIFY)).build().start();
    scheduler.close();

    assertThatThrownBy(scheduler::start).isInstanceOf(IllegalStateException.class);
  }
}
