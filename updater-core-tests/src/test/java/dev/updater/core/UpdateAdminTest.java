package dev.updater.core;

import dev.updater.core.source.HttpReleaseSource;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updater.core.admin.AdminAnswer;
import dev.updater.core.admin.AdminProgress;
import dev.updater.core.admin.AdminResponse;
import dev.updater.core.admin.AdminStatus;
import dev.updater.core.admin.UpdateAdmin;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.ReleaseGate;
import dev.updater.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin facade on a real install: 202 then 409 for concurrent
 * installs, 409 rollback without a previous release, progress to complete, the status fields, the
 * check cache, clear error, and bodies that plain Jackson serializes.
 */
class UpdateAdminTest {
  @TempDir Path tmp;

  private TestRepository repo;
  private Path home;
  private final List<UpdateAdmin> admins = new ArrayList<>();
  private final CountDownLatch stageMayRun = new CountDownLatch(1);
  private final List<FaultyHttpServer> servers = new ArrayList<>();

  @BeforeEach
  void installOneZeroAndPublishOneOne() throws IOException {
    repo = new TestRepository(tmp.resolve("repo"));
    home = tmp.resolve("home");
    Release r100 = repo.publish(v("1.0.0"));
    builder().build().install(r100);
    repo.publish(v("1.1.0"));
  }

  @AfterEach
  void close() {
    stageMayRun.countDown();
    admins.forEach(UpdateAdmin::close);
    servers.forEach(FaultyHttpServer::close);
  }

  private Updater.Builder builder() {
    return Updater.builder().home(home).source(repo.source()).freeSpace(0, 3)
        .runningVersion(v("1.0.0"));
  }

  private UpdateAdmin admin(Updater updater) {
    UpdateAdmin admin = UpdateAdmin.of(updater);
    admins.add(admin);
    return admin;
  }

  /** Polls progress until nothing runs; returns the last answer. */
  private static AdminProgress awaitDone(UpdateAdmin admin) throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      AdminProgress p = admin.progress().body();
      if (!p.running()) {
        return p;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the operation did not finish: " + admin.progress().body());
  }

  @Test
  void shouldAcceptOneOfTwoConcurrentInstallsAndRefuseTheOtherWith409() throws Exception {
    UpdateAdmin admin = admin(builder()
        .before(Step.STAGE, ctx -> stageMayRun.await(30, TimeUnit.SECONDS)).build());
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<AdminResponse<AdminAnswer>> a = pool.submit(() -> {
        together.await();
        return admin.install(false);
      });
      Future<AdminResponse<AdminAnswer>> b = pool.submit(() -> {
        together.await();
        return admin.install(false);
      });
      List<AdminResponse<AdminAnswer>> answers = List.of(a.get(30, TimeUnit.SECONDS),
          b.get(30, TimeUnit.SECONDS));

      assertThat(answers).extracting(AdminResponse::status)
          .containsExactlyInAnyOrder(202, 409);
      AdminAnswer refused = answers.stream().filter(r -> r.status() == 409).findFirst()
          .orElseThrow().body();
      assertThat(refused.result()).isEqualTo(AdminAnswer.CONFLICT);
      assertThat(refused.reason()).isEqualTo("LOCKED");
      assertThat(refused.message()).contains("another update or rollback is in progress");
      assertThat(admin.progress().body().running()).isTrue();
    } finally {
      pool.shutdownNow();
    }

    stageMayRun.countDown();
    AdminProgress done = awaitDone(admin);

    assertThat(done.phase()).isEqualTo("complete");
    assertThat(done.targetVersion()).isEqualTo("1.1.0");
    assertThat(done.installedVersion()).isEqualTo("1.1.0");
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
  }

  @Test
  void shouldRefuseAnInstallWhileAnotherProcessRunsAnUpdate() throws Exception {
    CountDownLatch staging = new CountDownLatch(1);
    Updater other = builder().owner("other-process").before(Step.STAGE, ctx -> {
      staging.countDown();
      stageMayRun.await(30, TimeUnit.SECONDS);
    }).build();
    Thread running = new Thread(() -> other.install(other.check().orElseThrow()));
    running.start();
    assertThat(staging.await(30, TimeUnit.SECONDS)).isTrue();
    UpdateAdmin admin = admin(builder().owner("this-process").build());

    AdminResponse<AdminAnswer> install = admin.install(false);
    AdminResponse<AdminAnswer> rollback = admin.rollback();

    assertThat(install.status()).isEqualTo(409);
    assertThat(install.body().reason()).isEqualTo("LOCKED");
    assertThat(rollback.status()).isEqualTo(409);
    assertThat(admin.progress().body().running()).isTrue();
    stageMayRun.countDown();
    running.join(30_000);
  }

  @Test
  void shouldAnswer200WhenNothingNewerIsAvailable() throws Exception {
    UpdateAdmin admin = admin(builder().build());
    assertThat(admin.install(false).status()).isEqualTo(202);
    awaitDone(admin);

    AdminResponse<AdminAnswer> again = admin.install(false);

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().result()).isEqualTo(AdminAnswer.UP_TO_DATE);
    assertThat(again.body().version()).isEqualTo("1.1.0");
  }

  @Test
  void shouldRefuseRollbackWithoutAPreviousRelease() {
    UpdateAdmin admin = admin(builder().build());

    AdminResponse<AdminAnswer> answer = admin.rollback();

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.body().reason()).isEqualTo("INVALID_STATE");
    assertThat(answer.body().message()).contains("no previous release is recorded");
    assertThat(admin.status(false).body().canRollBack()).isFalse();
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
  }

  @Test
  void shouldRollBackToThePreviousReleaseInTheBackground() throws Exception {
    UpdateAdmin admin = admin(builder().build());
    admin.install(false);
    awaitDone(admin);
    assertThat(admin.status(false).body().canRollBack()).isTrue();

    AdminResponse<AdminAnswer> answer = admin.rollback();
    AdminProgress done = awaitDone(admin);

    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.body().version()).isEqualTo("1.0.0");
    assertThat(done.phase()).isEqualTo("complete");
    assertThat(done.operation()).isEqualTo("rollback");
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
  }

  @Test
  void shouldShowARolledBackReleaseAsQuarantinedUntilItIsLifted() throws Exception {
    UpdateAdmin admin = admin(builder().build());
    admin.install(false);
    awaitDone(admin);
    admin.rollback();
    awaitDone(admin);

    AdminStatus status = admin.status(true).body();
    assertThat(status.quarantined()).singleElement().satisfies(q -> {
      assertThat(q.version()).isEqualTo("1.1.0");
      assertThat(q.reason()).contains("rolled back");
    });
    assertThat(status.updateAvailable()).as("not offered while quarantined").isFalse();
    assertThat(admin.unquarantine("2.0.0").status()).isEqualTo(AdminResponse.NOT_FOUND);
    assertThat(admin.unquarantine("not-a-version").status()).isEqualTo(AdminResponse.BAD_REQUEST);

    AdminResponse<AdminAnswer> lifted = admin.unquarantine("1.1.0");

    assertThat(lifted.status()).isEqualTo(AdminResponse.OK);
    assertThat(lifted.body().result()).isEqualTo(AdminAnswer.DONE);
    AdminStatus after = admin.status(true).body();
    assertThat(after.quarantined()).isEmpty();
    assertThat(after.latestVersion()).isEqualTo("1.1.0");
  }

  @Test
  void shouldRepairTheLiveReleaseInTheBackground() throws Exception {
    UpdateAdmin admin = admin(builder().build());

    AdminResponse<AdminAnswer> answer = admin.install(true);
    AdminProgress done = awaitDone(admin);

    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.body().operation()).isEqualTo("repair");
    assertThat(done.phase()).isEqualTo("complete");
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
  }

  @Test
  void shouldShowWhatThePanelNeeds() {
    UpdateAdmin admin = admin(builder().build());

    AdminResponse<AdminStatus> answer = admin.status(false);

    assertThat(answer.status()).isEqualTo(200);
    AdminStatus s = answer.body();
    assertThat(s.runningVersion()).isEqualTo("1.0.0");
    assertThat(s.installedVersion()).isEqualTo("1.0.0");
    assertThat(s.restartRequired()).isFalse();
    assertThat(s.latestVersion()).isEqualTo("1.1.0");
    assertThat(s.updateAvailable()).isTrue();
    assertThat(s.mode()).isEqualTo("notify");
    assertThat(s.lastCheck()).isNotNull();
    assertThat(s.checkError()).isNull();
    assertThat(s.phase()).isEqualTo("complete"); // the install of 1.0.0 in the set-up
    assertThat(s.error()).isNull();
  }

  @Test
  void shouldShowTheRestartPendingAfterAnUpdateThisProcessDoesNotRun() throws Exception {
    UpdateAdmin admin = admin(builder().build());
    admin.install(false);
    awaitDone(admin);

    AdminStatus s = admin.status(false).body();

    assertThat(s.installedVersion()).isEqualTo("1.1.0");
    assertThat(s.runningVersion()).isEqualTo("1.0.0");
    assertThat(s.restartRequired()).isTrue();
    assertThat(s.updateAvailable()).isFalse();
    assertThat(s.previousVersion()).isEqualTo("1.0.0");
  }

  @Test
  void shouldCheckTheSourceAtMostOncePerHourUnlessForced() throws IOException {
    FaultyHttpServer server = FaultyHttpServer.serve(repo.root);
    servers.add(server);
    MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));
    UpdateAdmin admin = admin(builder().source(HttpReleaseSource.of(server.baseUrl()))
        .clock(clock).build());

    admin.status(false);
    admin.status(false);
    assertThat(server.requests("/channels/stable.json")).isEqualTo(1);

    admin.status(true);
    assertThat(server.requests("/channels/stable.json")).isEqualTo(2);

    clock.advance(Duration.ofMinutes(59));
    admin.status(false);
    assertThat(server.requests("/channels/stable.json")).isEqualTo(2);

    clock.advance(Duration.ofMinutes(1));
    AdminStatus s = admin.status(false).body();
    assertThat(server.requests("/channels/stable.json")).isEqualTo(3);
    assertThat(s.lastCheck()).isEqualTo("2026-11-23T13:00:00Z");
  }

  @Test
  void shouldNotCheckOnItsOwnWhenDisabledButOnAnExplicitRequest() throws IOException {
    FaultyHttpServer server = FaultyHttpServer.serve(repo.root);
    servers.add(server);
    Updater updater = builder().source(HttpReleaseSource.of(server.baseUrl()))
        .mode(UpdateMode.DISABLED).build();
    UpdateAdmin admin = admin(updater);

    AdminStatus unforced = admin.status(false).body();

    assertThat(server.requestHeaders()).isEmpty();
    assertThat(unforced.mode()).isEqualTo("disabled");
    assertThat(unforced.updateAvailable()).isFalse();
    assertThat(unforced.lastCheck()).isNull();

    AdminStatus forced = admin.status(true).body();

    assertThat(server.requests("/channels/stable.json")).isEqualTo(1);
    assertThat(forced.latestVersion()).isEqualTo("1.1.0");
  }

  @Test
  void shouldReportAnUnreachableSourceNextToTheLastGoodCheck() throws IOException {
    FaultyHttpServer server = FaultyHttpServer.serve(repo.root);
    servers.add(server);
    UpdateAdmin admin = admin(builder().source(HttpReleaseSource.of(server.baseUrl())).build());
    admin.status(true);
    server.always("/channels/stable.json", FaultyHttpServer.Fault.status(404));

    AdminResponse<AdminStatus> answer = admin.status(true);
    AdminResponse<AdminAnswer> install = admin.install(false);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().checkError()).contains("channel 'stable'");
    assertThat(answer.body().latestVersion()).isEqualTo("1.1.0");
    assertThat(install.status()).isEqualTo(502);
    assertThat(install.body().reason()).isEqualTo("SOURCE_UNAVAILABLE");
  }

  /** A gate like the JDBC compatibility gate on an SQLite install, for a PostgreSQL-only 1.1.0. */
  private static final class PostgresOnly implements ReleaseGate {
    @Override
    public void check(Release release, java.util.Optional<Version> installed)
        throws IncompatibleReleaseException {
      if (release.version().equals(v("1.1.0"))) {
        throw new IncompatibleReleaseException("1.1.0 requires postgresql; this install runs on"
            + " sqlite");
      }
    }

    @Override
    public Map<String, String> facts() {
      return Map.of("database", "sqlite");
    }
  }

  @Test
  void shouldRefuseAnIncompatibleReleaseWith409AndStartNothing() {
    UpdateAdmin admin = admin(builder().gate(new PostgresOnly()).build());

    AdminResponse<AdminAnswer> answer = admin.install(false);

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.body().reason()).isEqualTo("INCOMPATIBLE");
    assertThat(answer.body().version()).isEqualTo("1.1.0");
    assertThat(answer.body().message()).contains("requires postgresql");
    assertThat(admin.progress().body().running()).isFalse();
    assertThat(home.resolve(".updater/downloads")).doesNotExist();
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
  }

  @Test
  void shouldShowTheDatabaseProviderAndWhyTheLatestReleaseIsIncompatible() {
    UpdateAdmin admin = admin(builder().gate(new PostgresOnly()).build());

    AdminStatus s = admin.status(true).body();

    assertThat(s.databaseProvider()).isEqualTo("sqlite");
    assertThat(s.latestVersion()).isEqualTo("1.1.0");
    assertThat(s.databaseCompatible()).isFalse();
    assertThat(s.compatibilityReason()).contains("requires postgresql");
  }

  @Test
  void shouldShowACompatibleLatestRelease() {
    UpdateAdmin admin = admin(builder().gate(new ReleaseGate() {
      @Override
      public void check(Release release, java.util.Optional<Version> installed) {}

      @Override
      public Map<String, String> facts() {
        return Map.of("database", "postgresql");
      }
    }).build());

    AdminStatus s = admin.status(true).body();

    assertThat(s.databaseProvider()).isEqualTo("postgresql");
    assertThat(s.databaseCompatible()).isTrue();
    assertThat(s.compatibilityReason()).isNull();
  }

  @Test
  void shouldShowAFailedUpdateUntilItIsCleared() throws Exception {
    UpdateAdmin admin = admin(builder().healthCheck(ctx -> {
      throw new IOException("GET /api/health answered 500");
    }).build());
    admin.install(false);

    AdminProgress failed = awaitDone(admin);

    assertThat(failed.phase()).isEqualTo("error");
    assertThat(failed.error().reason()).isEqualTo("HEALTH_CHECK_FAILED");
    assertThat(failed.error().message()).contains("GET /api/health answered 500");
    assertThat(admin.status(false).body().error().step()).isEqualTo("CONFIRM");
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");

    AdminResponse<AdminAnswer> cleared = admin.clearError();

    assertThat(cleared.status()).isEqualTo(200);
    assertThat(admin.progress().body().error()).isNull();
    assertThat(admin.status(false).body().error()).isNull();
  }

  @Test
  @org.junit.jupiter.api.Timeout(120) // close() waiting for the restart would hang here
  void shouldNotWaitOnCloseForAnOperationThatIsRestartingTheProcess() throws Exception {
    CountDownLatch restarting = new CountDownLatch(1);
    CountDownLatch exitMayReturn = new CountDownLatch(1);
    // Like an exit-code restarter: it never returns while the JVM shuts down.
    Updater updater = builder().restarter(ctx -> {
      restarting.countDown();
      exitMayReturn.await();
    }).build();
    UpdateAdmin admin = UpdateAdmin.builder(updater).closeTimeout(Duration.ofHours(1)).build();
    try {
      assertThat(admin.install(false).status()).isEqualTo(202);
      assertThat(restarting.await(30, TimeUnit.SECONDS)).isTrue();

      admin.close();

      assertThat(admin.progress().body().running()).isTrue();
      assertThat(admin.install(false).status()).isEqualTo(409);
    } finally {
      exitMayReturn.countDown();
      awaitDone(admin); // the install goes on after close(); let it end before the cleanup
    }
  }

  @Test
  void shouldSerializeEveryAnswerWithPlainJackson() throws Exception {
    UpdateAdmin admin = admin(builder().build());
    ObjectMapper json = new ObjectMapper();

    Map<?, ?> status = json.readValue(json.writeValueAsBytes(admin.status(false)), Map.class);
    Map<?, ?> rollback = json.readValue(json.writeValueAsBytes(admin.rollback().body()), Map.class);
    Map<?, ?> progress = json.readValue(json.writeValueAsBytes(admin.progress().body()), Map.class);

    assertThat(status.get("status")).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) status.get("body");
    assertThat(body).containsEntry("installedVersion", "1.0.0")
        .containsEntry("latestVersion", "1.1.0").containsEntry("updateAvailable", true)
        .containsEntry("mode", "notify");
    assertThat(rollback.get("result")).isEqualTo("conflict");
    assertThat(rollback.get("reason")).isEqualTo("INVALID_STATE");
    assertThat(progress.get("phase")).isEqualTo("complete");
  }
}
