package dev.updater.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.examples.demo.AppClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example application's admin API over real HTTP, with 1.0.0 running
 * as a child process under the demo's supervisor and 1.1.0 published in the signed repository.
 * The tests share one install (starting it costs seconds): the refused rollback changes nothing and
 * runs first, the update runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class AdminApiTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private DemoEnvironment env;
  private AppClient app;

  @BeforeAll
  void start100WithAnUpdateTo110Published(@TempDir Path tmp) throws Exception {
    env = DemoEnvironment.create(tmp);
    env.publish("1.0.0");
    env.publish("1.1.0");
    env.installFirst("1.0.0");
    env.startApplication();
    env.awaitHealthy("1.0.0", WAIT);
    app = env.client();
  }

  @AfterAll
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void shouldRefuseARollbackWith409WhenNoPreviousReleaseIsRecorded() throws Exception {
    Reply status = app.get("api/admin/updates");
    assertThat(status.get("canRollBack")).isEqualTo(false);

    Reply rollback = app.post("api/admin/updates/rollback", Map.of());

    assertThat(rollback.status()).as(rollback.body().toString()).isEqualTo(409);
    assertThat(rollback.text("result")).isEqualTo("conflict");
    assertThat(rollback.text("reason")).isEqualTo("INVALID_STATE");
    assertThat(app.healthyVersion()).contains("1.0.0");
  }

  @Test
  @Order(2)
  void shouldAcceptOneOfTwoConcurrentInstallsRefuseTheOtherWith409AndCompleteAfterTheRestart()
      throws Exception {
    assertThat(app.get("api/admin/updates?force=true").text("latestVersion")).isEqualTo("1.1.0");
    CountDownLatch go = new CountDownLatch(1);
    Callable<Reply> install = () -> {
      go.await();
      return app.post("api/admin/updates/install", Map.of());
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Reply> replies = new ArrayList<>();
    try {
      Future<Reply> a = pool.submit(install);
      Future<Reply> b = pool.submit(install);
      go.countDown();
      replies.add(a.get());
      replies.add(b.get());
    } finally {
      pool.shutdownNow();
    }

    assertThat(replies).extracting(Reply::status).containsExactlyInAnyOrder(202, 409);
    Reply refused = replies.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
    assertThat(refused.text("reason")).isEqualTo("LOCKED");

    Reply progress = awaitProgress("COMPLETE", "1.1.0");
    assertThat(progress.text("phase")).isEqualTo("complete");
    assertThat(progress.text("runningVersion")).isEqualTo("1.1.0");
    assertThat(progress.text("installedVersion")).isEqualTo("1.1.0");
    assertThat(env.supervisor().orElseThrow().starts()).extracting(Supervisor.Start::version)
        .containsExactly("1.0.0", "1.1.0");
    Reply status = app.get("api/admin/updates");
    assertThat(status.get("updateAvailable")).isEqualTo(false);
    assertThat(status.text("previousVersion")).isEqualTo("1.0.0");
    assertThat(status.get("canRollBack")).isEqualTo(true);
  }

  /**
   * Polls the progress endpoint, across the restart, until a process running {@code version}
   * reports {@code state}.
   */
  private Reply awaitProgress(String state, String version) throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    Optional<Reply> last = Optional.empty();
    while (System.nanoTime() < until) {
      last = app.tryGet("api/admin/updates/progress");
      if (last.isPresent() && state.equals(last.get().text("state"))
          && version.equals(last.get().text("runningVersion"))) {
        return last.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("progress did not reach " + state + " within " + WAIT + "; last: "
        + last.map(Reply::body) + "; logs in " + env.logs());
  }
}
