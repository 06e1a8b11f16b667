package dev.updater.core;

import dev.updater.core.source.HttpReleaseSource;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateScheduler.Tick;
import dev.updater.core.spi.HealthCheck;
import dev.updater.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No install loop: a release rolled back by its health check or its boot confirmation is not
 * installed again by an {@link UpdateMode#AUTO} {@link UpdateScheduler}, against a real HTTP
 * server on 127.0.0.1 that counts every request; a newer release published afterwards is.
 */
class QuarantineSchedulerTest {
  private static final Version V100 = v("1.0.0");
  private static final Version V110 = v("1.1.0");
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private TestRepository repo;
  private FaultyHttpServer server;
  private Path home;
  private Layout layout;
  private Release r110;
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T03:00:00Z"));
  private final List<UpdateContext> restarts = new CopyOnWriteArrayList<>();

  /** Thrown by a restarter to stand for the end of the process that installed. */
  static final class ProcessEnded extends Error {
    private static final long serialVersionUID = 1L;
  }

  /** Fails for 1.1.0 only, as a health endpoint of a broken release would. */
  private static final HealthCheck BROKEN_110 = ctx -> {
    if (ctx.to().equals(V110)) {
      throw new IllegalStateException("HTTP 500 from /api/health");
    }
  };

  @BeforeEach
  void installOneZeroAndPublishOneOne() throws IOException {
    repo = new TestRepository(tmp.resolve("repo"));
    home = tmp.resolve("home");
    layout = Layout.of(home);
    Release r100 = repo.publish(V100);
    Updater.builder().home(home).source(repo.source()).freeSpace(0, 3).build().install(r100);
    r110 = repo.publish(V110);
    server = FaultyHttpServer.serve(repo.root);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Updater.Builder builder() {
    return Updater.builder().home(home).source(HttpReleaseSource.of(server.baseUrl()))
        .freeSpace(0, 3).clock(clock).confirmationTimeout(DEADLINE).restarter(restarts::add);
  }

  private UpdateScheduler autoScheduler(Updater.Builder builder) {
    return UpdateScheduler.builder(builder.mode(UpdateMode.AUTO).build()).clock(clock).build();
  }

  private int downloadsOf(Release release) {
    return server.requests("/" + release.primaryArtifact().location());
  }

  private void assertLive(Version version) throws IOException {
    assertThat(Files.readSymbolicLink(layout.current()))
        .isEqualTo(Paths.get("releases", version.toString()));
  }

  @Test
  void aReleaseRolledBackByItsHealthCheckIsNotInstalledAgainAtTheNextTick() throws IOException {
    try (UpdateScheduler scheduler = autoScheduler(builder().healthCheck(BROKEN_110))) {
      Tick first = scheduler.tick();

      assertThat(first).isInstanceOfSatisfying(Tick.Failed.class, f ->
          assertThat(f.error().reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED));
      assertLive(V100);

      Tick second = scheduler.tick();
      Tick third = scheduler.tick();

      assertThat(second).isInstanceOf(Tick.UpToDate.class);
      assertThat(third).isInstanceOf(Tick.UpToDate.class);
      assertThat(downloadsOf(r110)).as("downloaded by the first tick only").isEqualTo(1);
      assertLive(V100);
      assertThat(scheduler.updater().report(true).quarantined())
          .extracting(QuarantinedRelease::version).containsExactly(V110);

      Release r120 = repo.publish(v("1.2.0"));
      Tick fourth = scheduler.tick();

      assertThat(fourth).isEqualTo(new Tick.Installed(r120,
          new UpdateResult.Updated(Optional.of(V100), v("1.2.0"))));
      assertLive(v("1.2.0"));
      assertThat(downloadsOf(r110)).isEqualTo(1);
      assertThat(scheduler.updater().quarantined()).isEmpty();
    }
  }

  @Test
  void aReleaseRolledBackAtItsConfirmationDeadlineIsNotInstalledAgain() throws IOException {
    Updater old = builder().runningVersion(V100).restarter(ctx -> {
      throw new ProcessEnded();
    }).build();
    assertThatThrownBy(() -> old.install(old.find(V110).orElseThrow()))
        .isInstanceOf(ProcessEnded.class);
    assertLive(V110); // restarted into, and it never confirms
    clock.advance(DEADLINE.plusSeconds(1));

    // The previous release starts again; its host confirms at start-up, which rolls 1.1.0 back.
    UpdateStatus status = builder().runningVersion(V100).build().confirm();

    assertThat(status.error().orElseThrow().message()).contains("did not confirm by its deadline");
    assertLive(V100);
    try (UpdateScheduler scheduler = autoScheduler(builder().runningVersion(V100))) {
      assertThat(scheduler.tick()).isInstanceOf(Tick.UpToDate.class);
      assertThat(scheduler.tick()).isInstanceOf(Tick.UpToDate.class);
      assertThat(downloadsOf(r110)).isEqualTo(1);
      assertLive(V100);
      assertThat(scheduler.updater().quarantined()).singleElement().satisfies(q -> {
        assertThat(q.version()).isEqualTo(V110);
        assertThat(q.reason()).contains("did not confirm by its deadline");
      });
    }
  }

  @Test
  void aReleaseRolledBackByAFailedHealthCheckOnConfirmIsNotOffered() throws IOException {
    Updater old = builder().runningVersion(V100).restarter(ctx -> {
      throw new ProcessEnded();
    }).build();
    assertThatThrownBy(() -> old.install(old.find(V110).orElseThrow()))
        .isInstanceOf(ProcessEnded.class);

    builder().runningVersion(V110).healthCheck(BROKEN_110).build().confirm();

    assertLive(V100);
    assertThat(restarts).singleElement().satisfies(ctx -> assertThat(ctx.to()).isEqualTo(V100));
    Updater restarted = builder().runningVersion(V100).build();
    assertThat(restarted.check(true)).isEmpty();
    assertThat(restarted.quarantined()).singleElement().satisfies(q ->
        assertThat(q.reason()).contains("HTTP 500 from /api/health"));
  }

  @Test
  void anInstallByNameThatConfirmsAfterItsRestartLiftsTheQuarantine() throws IOException {
    Updater operator = builder().runningVersion(V100).healthCheck(BROKEN_110).build();
    assertThatThrownBy(() -> operator.install(r110)) // fails its health check, is rolled back
        .isInstanceOf(UpdateException.class);
    assertThat(operator.quarantined()).extracting(QuarantinedRelease::version)
        .containsExactly(V110);
    Updater again = builder().runningVersion(V100).restarter(ctx -> {
      throw new ProcessEnded();
    }).build();
    assertThatThrownBy(() -> again.install(r110)).isInstanceOf(ProcessEnded.class);

    UpdateStatus status = builder().runningVersion(V110).build().confirm();

    assertThat(status.state()).isEqualTo(UpdateStatus.State.COMPLETE);
    assertLive(V110);
    assertThat(layout.state().resolve("quarantine.json")).as("lifted once confirmed")
        .doesNotExist();
  }
}
