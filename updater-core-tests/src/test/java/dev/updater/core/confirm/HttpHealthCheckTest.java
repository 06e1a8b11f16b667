package dev.updater.core.confirm;

import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.Version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.updater.testkit.MutableClock;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpHealthCheck} against an in-process {@link HttpServer}; time is a {@link MutableClock}
 * that the injected sleeper advances, so no test waits for real.
 */
class HttpHealthCheckTest {
  private static final Version NEW = Version.parse("1.1.0");

  private final MutableClock clock = MutableClock.at(Instant.parse("2024-01-01T00:00:00Z"));
  private final List<Duration> sleeps = new ArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void passesWhenTheEndpointAnswers200() throws Exception {
    serve(n -> new Answer(200, "{\"version\":\"1.1.0\"}"));

    // A deadline far enough that a slow first request on a loaded machine is not cut short.
    check(builder().timeout(Duration.ofSeconds(30))).check(context());

    assertThat(requests).hasValue(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void passesWhenA500TurnsInto200BeforeTheDeadline() throws Exception {
    serve(n -> n <= 2 ? new Answer(500, "starting") : new Answer(200, "{\"version\":\"1.1.0\"}"));

    check(builder().versionField("version").timeout(Duration.ofSeconds(30))).check(context());

    assertThat(requests).hasValue(3);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
  }

  @Test
  void failsAfterTheDeadlineWithTheLastReasonWhenNeverHealthy() throws Exception {
    serve(n -> new Answer(500, "database unavailable"));

    assertThatThrownBy(() -> check(builder()).check(context()))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("was not healthy within 500 ms")
        .hasMessageContaining("5 attempts")
        .hasMessageContaining("last: HTTP 500: database unavailable");
    assertThat(requests).hasValue(5);
  }

  @Test
  void failsFastWhenAskedToAndTheAnswerIsTheSameEveryTime() throws Exception {
    serve(n -> new Answer(404, "no such page"));

    assertThatThrownBy(() -> check(builder().timeout(Duration.ofSeconds(60)).failFastAfter(3))
        .check(context()))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("failed the same way 3 times in a row (3 attempts in 200 ms)")
        .hasMessageContaining("HTTP 404: no such page");
    assertThat(requests).hasValue(3);
  }

  @Test
  void failsWhenAnOldProcessStillOnThePortAnswersWithItsOwnVersion() throws Exception {
    serve(n -> new Answer(200, "{\"version\":\"1.0.0\"}"));

    assertThatThrownBy(() -> check(builder().versionField("version")).check(context()))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("version 1.0.0, expected 1.1.0");
  }

  @Test
  void failsWhenTheBodyLacksTheVersionField() throws Exception {
    serve(n -> new Answer(200, "{\"status\":\"ok\"}"));

    assertThatThrownBy(() -> check(builder().versionField("version")).check(context()))
        .hasMessageContaining("has no text field 'version'");
  }

  @Test
  void reportsConnectionRefusedWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HttpHealthCheck check = HttpHealthCheck.builder(URI.create("http://127.0.0.1:" + port + "/h"))
        .interval(Duration.ofMillis(100)).timeout(Duration.ofMillis(300))
        .clock(clock).sleeper(this::sleep).build();

    assertThatThrownBy(() -> check.check(context())).hasMessageContaining("connection refused");
  }

  @Test
  void rejectsAUrlThatIsNotHttp() {
    assertThatThrownBy(() -> HttpHealthCheck.of(URI.create("file:///etc/passwd")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpHealthCheck.builder(URI.create("http://x/")).timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private record Answer(int status, String body) {}

  private interface Script {
    Answer answer(int n);
  }

  private void serve(Script script) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/health", exchange -> {
      Answer a = script.answer(requests.incrementAndGet());
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(a.status(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  private HttpHealthCheck.Builder builder() {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/health");
    return HttpHealthCheck.builder(uri).interval(Duration.ofMillis(100))
        .timeout(Duration.ofMillis(500));
  }

  private HttpHealthCheck check(HttpHealthCheck.Builder b) {
    return b.clock(clock).sleeper(this::sleep).build();
  }

  private void sleep(Duration d) {
    sleeps.add(d);
    clock.advance(d);
  }

  private static UpdateContext context() {
    Path home = Path.of("/nonexistent-home");
    return new UpdateContext(UpdateEvent.Operation.INSTALL, Step.CONFIRM,
        Optional.of(Version.parse("1.0.0")), NEW, Layout.of(home), home.resolve("releases/1.1.0"));
  }
}
