package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.updater.core.admin.HttpTelemetrySink;
import dev.updater.core.admin.UpdateAdmin;
import dev.updater.core.spi.HealthCheck;
import dev.updater.core.spi.TelemetrySink;
import dev.updater.core.spi.TelemetrySink.Heartbeat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results reported to the vendor: each operation's outcome reaches a real HTTP endpoint as one
 * small JSON object (versions, outcome, reason, install id, no message text), only when the host
 * opts in; and the admin API's heartbeat rule: one heartbeat per unforced check that read the
 * source, none for a forced check (an operator's "check now") or one answered from the cache.
 */
class ResultTelemetryTest {
  @TempDir Path tmp;

  private HttpServer server;
  private final List<Map<String, Object>> posted = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @SuppressWarnings("unchecked")
  private URI collector() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/telemetry", ex -> {
      try (ex) {
        posted.add(new ObjectMapper().readValue(ex.getRequestBody().readAllBytes(), Map.class));
        ex.sendResponseHeaders(204, -1);
      }
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/telemetry");
  }

  /** Each posted result as {@code "OPERATION OUTCOME from->to"}. */
  private List<String> postedOutcomes() {
    return posted.stream().map(json -> json.get("operation") + " " + json.get("outcome") + " "
        + json.get("from") + "->" + json.get("to")).toList();
  }

  private Updater.Builder builder(TestRepository repo, HealthCheck health) {
    return Updater.builder().home(tmp.resolve("home")).source(repo.source()).freeSpace(0, 3)
        .healthCheck(health);
  }

  @Test
  void everyOutcomeReachesTheVendorWithTheInstallIdAndNoMessageText() throws Exception {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(v("1.0.0"));
    Release second = repo.publish(v("1.1.0"));
    HealthCheck failsOnOneOne = context -> {
      if (context.to().equals(v("1.1.0"))) {
        throw new IllegalStateException("database at db.internal.example:5432 is down");
      }
    };
    Updater updater = builder(repo, failsOnOneOne)
        .reportResults(HttpTelemetrySink.to(collector())).build();

    updater.install(first);
    try {
      updater.install(second);
    } catch (UpdateException expected) {
      // rolled back: reported below
    }

    String installId = Files.readString(tmp.resolve("home/.updater/install-id")).strip();
    assertThat(posted).hasSizeGreaterThanOrEqualTo(2);
    assertThat(posted).allSatisfy(json -> assertThat(json).containsOnlyKeys("event", "installId",
        "at", "operation", "outcome", "from", "to", "reason")
        .containsEntry("event", "result").containsEntry("installId", installId));
    assertThat(posted.get(0)).containsEntry("operation", "INSTALL")
        .containsEntry("outcome", "SUCCEEDED").containsEntry("from", null)
        .containsEntry("to", "1.0.0").containsEntry("reason", null);
    Map<String, Object> last = posted.get(posted.size() - 1);
    assertThat(last).containsEntry("operation", "INSTALL").containsEntry("outcome", "ROLLED_BACK")
        .containsEntry("from", "1.0.0").containsEntry("to", "1.1.0")
        .containsEntry("reason", "HEALTH_CHECK_FAILED");
    assertThat(posted.toString()).doesNotContain("db.internal.example");
  }

  @Test
  void aRollbackIsReportedAsItsOwnOperation() throws Exception {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(v("1.0.0"));
    Release second = repo.publish(v("1.1.0"));
    Updater updater = builder(repo, HealthCheck.NONE)
        .reportResults(HttpTelemetrySink.to(collector())).build();
    updater.install(first);
    updater.install(second);

    updater.rollback();

    assertThat(postedOutcomes()).containsExactly("INSTALL SUCCEEDED null->1.0.0",
        "INSTALL SUCCEEDED 1.0.0->1.1.0", "ROLLBACK SUCCEEDED 1.1.0->1.0.0");
  }

  @Test
  void nothingIsReportedUnlessTheHostOptsIn() throws Exception {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(v("1.0.0"));
    collector();
    List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
    Updater updater = builder(repo, HealthCheck.NONE).build();
    UpdateAdmin admin = UpdateAdmin.builder(updater).telemetry(heartbeats::add).build();

    updater.install(first);

    assertThat(posted).isEmpty();
    assertThat(tmp.resolve("home/.updater/history.jsonl")).content().contains("SUCCEEDED");
    admin.close();
  }

  @Test
  void aSinkThatFailsChangesNoOutcome() throws Exception {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(v("1.0.0"));
    TelemetrySink broken = new TelemetrySink() {
      @Override
      public void send(Heartbeat heartbeat) {}

      @Override
      public void sendResult(Result result) throws IOException {
        throw new IOException("vendor endpoint down");
      }
    };
    Updater updater = builder(repo, HealthCheck.NONE).reportResults(broken).build();

    assertThat(updater.install(first)).isInstanceOf(UpdateResult.Updated.class);
    assertThat(updater.status().installed()).contains(v("1.0.0"));
  }

  @Test
  void aResultTheVendorDidNotTakeIsSentAgainWithTheNextCheckInOrderAndOnce() throws Exception {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(v("1.0.0"));
    Release second = repo.publish(v("1.1.0"));
    AtomicBoolean down = new AtomicBoolean(true);
    List<TelemetrySink.Result> taken = new CopyOnWriteArrayList<>();
    TelemetrySink flaky = new TelemetrySink() {
      @Override
      public void send(Heartbeat heartbeat) {}

      @Override
      public void sendResult(Result result) throws IOException {
        if (down.get()) {
          throw new IOException("vendor endpoint down");
        }
        taken.add(result);
      }
    };
    Updater updater = builder(repo, HealthCheck.NONE).reportResults(flaky).build();
    updater.install(first);
    assertThat(taken).isEmpty();

    down.set(false);
    updater.check();
    updater.install(second);
    updater.check();

    assertThat(taken).extracting(r -> r.operation() + " " + r.to().orElseThrow())
        .containsExactly("INSTALL 1.0.0", "INSTALL 1.1.0");
  }

  @Test
  void anOutcomeWrittenByAProcessWithoutTheSinkIsSentByTheNextConfirmation() throws Exception {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(v("1.0.0"));
    Release second = repo.publish(v("1.1.0"));
    Updater host = builder(repo, HealthCheck.NONE)
        .reportResults(HttpTelemetrySink.to(collector())).build();
    host.install(first);
    host.install(second);

    // the detached confirmation watcher, or the command-line tool, on the same home: no sink
    builder(repo, HealthCheck.NONE).build().rollback();
    assertThat(posted).hasSize(2);
    host.confirm();
    host.check();

    assertThat(postedOutcomes()).containsExactly("INSTALL SUCCEEDED null->1.0.0",
        "INSTALL SUCCEEDED 1.0.0->1.1.0", "ROLLBACK SUCCEEDED 1.1.0->1.0.0");
  }

  @Test
  void theHistoryBeforeTheHostOptedInIsNotSent() throws Exception {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(v("1.0.0"));
    Release second = repo.publish(v("1.1.0"));
    builder(repo, HealthCheck.NONE).build().install(first);

    Updater updater = builder(repo, HealthCheck.NONE)
        .reportResults(HttpTelemetrySink.to(collector())).build();
    updater.check();
    updater.install(second);

    assertThat(posted).extracting(json -> json.get("to")).containsExactly("1.1.0");
  }

  @Test
  void theAdminApiSendsAHeartbeatAfterAnUnforcedCheckOnly() throws Exception {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Release first = repo.publish(v("1.0.0"));
    Updater updater = builder(repo, HealthCheck.NONE).runningVersion(v("1.0.0"))
        .mode(UpdateMode.NOTIFY).build();
    updater.install(first);
    repo.publish(v("1.1.0"));
    List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
    try (UpdateAdmin admin = UpdateAdmin.builder(updater).telemetry(heartbeats::add).build()) {
      admin.status(false);
      assertThat(heartbeats).as("after an unforced check that read the source").hasSize(1);
      assertThat(heartbeats.get(0).updateAvailable()).isTrue();
      assertThat(heartbeats.get(0).installedVersion()).contains(v("1.0.0"));

      admin.status(true);
      assertThat(heartbeats).as("after a forced check").hasSize(1);

      admin.status(false);
      assertThat(heartbeats).as("after an unforced check answered from the cache").hasSize(1);
    }
  }
}
