package dev.updater.cli;

import static dev.updater.cli.CliHarness.live;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private repository behind a bearer token, installed by the command in a separate JVM whose
 * environment holds {@code UPDATER_HTTP_AUTHORIZATION} (or not): the token opens the repository,
 * a missing or wrong one is a clear error naming the variable, and the token is never printed.
 */
class HttpAuthorizationTest {
  private static final String TOKEN = "tok-4f1c9e-secret";
  private static final String VARIABLE = "UPDATER_HTTP_AUTHORIZATION";

  @TempDir Path tmp;
  // published now: the child JVM checks the index's expiry against the real clock
  final CliHarness cli = new CliHarness(java.time.Clock.systemUTC());
  HttpServer server;
  Path repo;
  Path pub;

  @BeforeEach
  void publishAndServeBehindAToken() throws IOException {
    repo = tmp.resolve("repo");
    pub = cli.publishSigned(tmp, repo, "1.0.0");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/myapp/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      Path file = repo.resolve(exchange.getRequestURI().getPath().substring("/myapp/".length()))
          .normalize();
      if (auth == null) {
        exchange.sendResponseHeaders(401, -1);
      } else if (!auth.equals("Bearer " + TOKEN)) {
        exchange.sendResponseHeaders(403, -1);
      } else if (!file.startsWith(repo) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void installsFromAPrivateRepositoryWithTheTokenFromTheEnvironment() throws Exception {
    Child r = install(Map.of(VARIABLE, "Bearer " + TOKEN));

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(live(tmp.resolve("home"))).isEqualTo("1.0.0");
    assertThat(r.out() + r.err()).doesNotContain(TOKEN);
  }

  @Test
  void aMissingTokenIsAClearErrorNamingTheVariable() throws Exception {
    Child r = install(Map.of());

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.UNAVAILABLE);
    assertThat(r.err()).contains("HTTP 401", VARIABLE, "Bearer <token>");
    assertThat(tmp.resolve("home/current")).doesNotExist();
  }

  @Test
  void aRefusedTokenIsAClearErrorNamingTheVariableWithoutShowingIt() throws Exception {
    Child r = install(Map.of(VARIABLE, "Bearer wrong-" + TOKEN));

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.UNAVAILABLE);
    assertThat(r.err()).contains("HTTP 403", VARIABLE).doesNotContain(TOKEN);
    assertThat(tmp.resolve("home/current")).doesNotExist();
  }

  @Test
  void doctorReportsAMissingTokenNamingTheVariable() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/myapp/";

    CliHarness.Result r = cli.run("doctor", "--home", tmp.resolve("home"), "--source", url,
        "--trust", pub);

    assertThat(r.out()).as("%s", r).contains("FAIL source", "HTTP 401", VARIABLE + " to the",
        "Bearer <token>");
  }

  // ---------------------------------------------------------------------------------------------

  record Child(int code, String out, String err) {}

  private Child install(Map<String, String> environment) throws IOException, InterruptedException {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/myapp/";
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "install", "--home", tmp.resolve("home").toString(), "--source", url,
        "--trust", pub.toString()));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().remove(VARIABLE);
    builder.environment().putAll(environment);
    Process p = builder.start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
      return new Child(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}
