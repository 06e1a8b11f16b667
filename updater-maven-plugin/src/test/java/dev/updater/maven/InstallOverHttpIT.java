package dev.updater.maven;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.updater.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository that the invoker's build of the sample project {@code publish-and-update} wrote
 * with the plugin (1.0.0 from the command line, 1.1.0 from the execution bound to package), served
 * over HTTP on 127.0.0.1: {@code updater install} installs 1.0.0 from it, then updates to 1.1.0,
 * each checked against the signature and the public key the build's keygen wrote.
 */
class InstallOverHttpIT {
  @TempDir Path tmp;
  Path sample;
  HttpServer server;

  @BeforeEach
  void serveTheSamplesRepository() throws IOException {
    sample = SampleBuilds.invoked("publish-and-update");
    Path repo = sample.resolve("repo").toRealPath();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/myapp/", exchange -> {
      Path file = repo.resolve(exchange.getRequestURI().getPath().substring("/myapp/".length()))
          .normalize();
      if (!file.startsWith(repo) || !Files.isRegularFile(file)) {
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
  void theCommandLineInstallsTheFirstReleaseAndUpdatesToTheSecond() throws IOException {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/myapp/";
    Path home = tmp.resolve("home");
    String trust = sample.resolve("keys/updater.pub").toString();

    String[] first = run("install", "--home", home.toString(), "--source", url, "--trust", trust,
        "--version", "1.0.0");
    assertThat(first[0]).as(first[1]).contains("installed 1.0.0");
    assertThat(live(home, "VERSION")).isEqualTo("1.0.0");
    assertThat(live(home, "NOTE")).isEqualTo("first build");

    String[] update = run("install", "--home", home.toString(), "--source", url, "--trust",
        trust);
    assertThat(update[0]).as(update[1]).contains("installed 1.1.0");
    assertThat(live(home, "VERSION")).isEqualTo("1.1.0");
    assertThat(live(home, "NOTE")).isEqualTo("second");
    assertThat(Files.isExecutable(home.resolve("current/bin/myapp"))).isTrue();
  }

  /** Runs the command line in this JVM; fails unless it exits 0. Returns its out and err. */
  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    String[] result = {out.toString(UTF_8), err.toString(UTF_8)};
    assertThat(code).as("updater %s\nout: %s\nerr: %s", String.join(" ", args), result[0],
        result[1]).isZero();
    return result;
  }

  private static String live(Path home, String file) throws IOException {
    return Files.readString(home.resolve("current").resolve(file), UTF_8).strip();
  }
}
