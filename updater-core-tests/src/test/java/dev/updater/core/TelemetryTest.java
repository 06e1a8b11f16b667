package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.admin.HttpTelemetrySink;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.updater.core.UpdateScheduler.Tick;
import dev.updater.core.spi.TelemetrySink;
import dev.updater.core.spi.TelemetrySink.Heartbeat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The telemetry heartbeat: off by default, and when on, exactly four facts and nothing else. */
class TelemetryTest {
  @TempDir Path tmp;

  private HttpServer server;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private URI collector(int status) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/heartbeat", ex -> {
      try (ex) {
        bodies.add(ex.getRequestBody().readAllBytes());
        headers.add(Map.copyOf(ex.getRequestHeaders()));
        ex.sendResponseHeaders(status, -1);
      }
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/heartbeat");
  }

  @Test
  void shouldHoldExactlyFourFacts() {
    assertThat(Arrays.stream(Heartbeat.class.getRecordComponents()).map(c -> c.getName()))
        .containsExactly("runningVersion", "installedVersion", "updateAvailable",
            "databaseProvider");
  }

  @Test
  void shouldPostOnlyTheFourFieldsOverHttp() throws Exception {
    HttpTelemetrySink sink = HttpTelemetrySink.to(collector(204));

    sink.send(new Heartbeat(Optional.of(v("1.0.0")), Optional.of(v("1.1.0")), true,
        Optional.of("postgresql")));

    assertThat(bodies).hasSize(1);
    Map<String, Object> json = readJson(bodies.get(0));
    assertThat(json).containsOnlyKeys("runningVersion", "installedVersion", "updateAvailable",
        "databaseProvider");
    assertThat(json).containsEntry("runningVersion", "1.0.0")
        .containsEntry("installedVersion", "1.1.0")
        .containsEntry("updateAvailable", true)
        .containsEntry("databaseProvider", "postgresql");
    assertThat(headers.get(0)).doesNotContainKeys("Cookie", "Authorization");
    assertThat(headers.get(0).get("User-agent")).containsExactly("dev.updater");
  }

  @Test
  void shouldSendNullForWhatIsNotKnown() throws Exception {
    HttpTelemetrySink sink = HttpTelemetrySink.to(collector(200));

    sink.send(new Heartbeat(Optional.empty(), Optional.empty(), false, Optional.empty()));

    Map<String, Object> json = readJson(bodies.get(0));
    assertThat(json).hasSize(4).containsEntry("runningVersion", null)
        .containsEntry("updateAvailable", false).containsEntry("databaseProvider", null);
  }

  @Test
  void shouldFailASendThatTheEndpointRefuses() throws Exception {
    HttpTelemetrySink sink = HttpTelemetrySink.to(collector(500));

    assertThatThrownBy(() -> sink.send(new Heartbeat(Optional.empty(), Optional.empty(), false,
        Optional.empty()))).isInstanceOf(IOException.class).hasMessageContaining("HTTP 500");
  }

  @Test
  void shouldRefuseAnEndpointThatIsNotHttp() {
    assertThatThrownBy(() -> HttpTelemetrySink.to(URI.create("file:///tmp/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldSendAHeartbeatAfterEverySchedulerCheckWhenEnabled() throws IOException {
    Updater updater = installedOneZeroWithOneOneAvailable(UpdateMode.NOTIFY);
    List<Heartbeat> sent = new CopyOnWriteArrayList<>();
    UpdateScheduler scheduler = UpdateScheduler.builder(updater).telemetry(sent::add).build();

    scheduler.tick();
    scheduler.tick();

    assertThat(sent).containsExactly(
        new Heartbeat(Optional.of(v("1.0.0")), Optional.of(v("1.0.0")), true, Optional.empty()),
        new Heartbeat(Optional.of(v("1.0.0")), Optional.of(v("1.0.0")), true, Optional.empty()));
  }

  @Test
  void shouldSendTheDatabaseProviderAGateReports() throws IOException {
    List<Heartbeat> sent = new CopyOnWriteArrayList<>();
    UpdateScheduler scheduler = UpdateScheduler.builder(installed(UpdateMode.NOTIFY,
        Map.of("database", "postgresql"))).telemetry(sent::add).build();

    scheduler.tick();

    assertThat(sent).extracting(Heartbeat::databaseProvider)
        .containsExactly(Optional.of("postgresql"));
  }

  @Test
  void shouldNotSendTheTextOfAnUnavailableDatabase() throws IOException {
    List<Heartbeat> sent = new CopyOnWriteArrayList<>();
    UpdateScheduler scheduler = UpdateScheduler.builder(installed(UpdateMode.NOTIFY,
        Map.of("database", "unavailable: connection to db.internal.example:5432 refused")))
        .telemetry(sent::add).build();

    scheduler.tick();

    assertThat(sent).extracting(Heartbeat::databaseProvider).containsExactly(Optional.empty());
  }

  @Test
  void shouldSendNothingWhenDisabled() throws IOException {
    Updater updater = installedOneZeroWithOneOneAvailable(UpdateMode.DISABLED);
    List<Heartbeat> sent = new CopyOnWriteArrayList<>();
    UpdateScheduler scheduler = UpdateScheduler.builder(updater).telemetry(sent::add).build();

    scheduler.tick();

    assertThat(sent).isEmpty();
  }

  @Test
  void shouldNotLetAFailingSinkFailTheCheck() throws IOException {
    Updater updater = installedOneZeroWithOneOneAvailable(UpdateMode.NOTIFY);
    TelemetrySink broken = heartbeat -> {
      throw new IOException("telemetry host down");
    };
    UpdateScheduler scheduler = UpdateScheduler.builder(updater).telemetry(broken).build();

    assertThat(scheduler.tick()).isInstanceOf(Tick.AwaitingApproval.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readJson(byte[] body) throws IOException {
    return new ObjectMapper().readValue(body, Map.class);
  }

  private Updater installedOneZeroWithOneOneAvailable(UpdateMode mode) throws IOException {
    return installed(mode, Map.of());
  }

  /** 1.0.0 installed and 1.1.0 available, with a gate reporting {@code facts}. */
  private Updater installed(UpdateMode mode, Map<String, String> facts) throws IOException {
    TestRepository repo = new TestRepository(tmp.resolve("repo"));
    Path home = tmp.resolve("home");
    Updater updater = Updater.builder().home(home).source(repo.source()).freeSpace(0, 3)
        .runningVersion(v("1.0.0")).mode(mode).gate(new dev.updater.core.spi.ReleaseGate() {
          @Override
          public void check(Release release, Optional<Version> installed) {}

          @Override
          public Map<String, String> facts() {
            return facts;
          }
        }).build();
    updater.install(repo.publish(v("1.0.0")));
    repo.publish(v("1.1.0"));
    return updater;
  }
}
