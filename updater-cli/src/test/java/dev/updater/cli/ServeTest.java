package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static dev.updater.cli.CliHarness.live;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code updater serve}: a published repository served over real HTTP installs; GET, HEAD and
 * Range work; nothing outside the repository is served, however the path is encoded.
 */
class ServeTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  final HttpClient http = HttpClient.newHttpClient();
  RepositoryServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  Path repoWithAFile() throws IOException {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo.resolve("releases/1.0.0"));
    Files.writeString(repo.resolve("releases/1.0.0/app.bin"), "0123456789");
    Files.writeString(tmp.resolve("secret.txt"), "SECRET");
    server = RepositoryServer.start(repo,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new PrintStream(OutputStream.nullOutputStream()));
    return repo;
  }

  HttpResponse<String> send(String method, String path, String range) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (range != null) {
      b.header("Range", range);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends the request line exactly as written (no client normalizes it) and reads the answer. */
  String raw(String path) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n\r\n").getBytes(UTF_8));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), UTF_8);
    }
  }

  @Test
  void shouldServeAPublishedRepositoryThatInstallsAndStopWhenInterrupted() throws Exception {
    Path repo = tmp.resolve("repo");
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    for (String v : new String[] {"1.0.0", "1.1.0"}) {
      assertThat(cli.run("publish", "--repo", repo, "--version", v,
          "--key", tmp.resolve("keys/updater.key"),
          artifact(tmp.resolve("build"), "app-" + v + ".zip", v)).code()).isZero();
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, UTF_8);
    AtomicInteger code = new AtomicInteger(-1);
    Thread serving = new Thread(() -> code.set(Main.run(
        new String[] {"serve", "--repo", repo.toString(), "--port", "0", "--bind", "127.0.0.1"},
        new Env(out, out, Clock.systemUTC()))));
    serving.start();
    Pattern portLine = Pattern.compile("--source (http://127\\.0\\.0\\.1:\\d+/)");
    Matcher m = portLine.matcher("");
    while (serving.isAlive() && !(m = portLine.matcher(log.toString(UTF_8))).find()) {
      Thread.sleep(10);
    }
    assertThat(serving.isAlive()).as("serve ended early: %s", log.toString(UTF_8)).isTrue();
    String url = m.group(1);
    Path home = tmp.resolve("home");

    Result install = cli.run("install", "--home", home, "--source", url,
        "--trust", tmp.resolve("keys/updater.pub"));

    assertThat(install.code()).as("%s", install).isZero();
    assertThat(live(home)).isEqualTo("1.1.0");
    serving.interrupt();
    serving.join();
    assertThat(code.get()).isZero();
    assertThat(log.toString(UTF_8)).contains("serving " + repo.toRealPath(),
        "GET /channels/stable.json 200", "GET /channels/stable.json.minisig 200",
        "GET /releases/1.1.0/app-1.1.0.zip 200", "stopped");
  }

  @Test
  void shouldAnswerHeadAndRanges() throws Exception {
    repoWithAFile();

    HttpResponse<String> head = send("HEAD", "/releases/1.0.0/app.bin", null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).contains("10");
    assertThat(head.headers().firstValue("Accept-Ranges")).contains("bytes");
    assertThat(head.body()).isEmpty();

    HttpResponse<String> from = send("GET", "/releases/1.0.0/app.bin", "bytes=4-");
    assertThat(from.statusCode()).isEqualTo(206);
    assertThat(from.body()).isEqualTo("456789");
    assertThat(from.headers().firstValue("Content-Range")).contains("bytes 4-9/10");

    HttpResponse<String> middle = send("GET", "/releases/1.0.0/app.bin", "bytes=2-3");
    assertThat(middle.body()).isEqualTo("23");
    assertThat(send("GET", "/releases/1.0.0/app.bin", "bytes=-3").body()).isEqualTo("789");

    HttpResponse<String> beyond = send("GET", "/releases/1.0.0/app.bin", "bytes=10-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */10");

    HttpResponse<String> whole = send("GET", "/releases/1.0.0/app.bin", null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo("0123456789");
  }

  @Test
  void shouldCountTheBytesOfFileContentItSends() throws Exception {
    repoWithAFile();

    send("GET", "/releases/1.0.0/app.bin", null);
    send("GET", "/releases/1.0.0/app.bin", "bytes=4-");
    send("HEAD", "/releases/1.0.0/app.bin", null);
    send("GET", "/releases/1.0.0/missing.bin", null);

    assertThat(server.bytesSent()).isEqualTo(10 + 6);
  }

  @Test
  void shouldServeOnTheLoopbackAddressAndAFreePortByDefault() throws Exception {
    Path repo = repoWithAFile();
    server.close();
    server = RepositoryServer.start(repo);

    assertThat(server.url()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));
    assertThat(http.send(HttpRequest.newBuilder(server.url().resolve("releases/1.0.0/app.bin"))
        .build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("0123456789");
  }

  @Test
  void shouldRefuseOtherMethodsDirectoriesAndMissingFiles() throws Exception {
    repoWithAFile();

    HttpResponse<String> post = send("POST", "/releases/1.0.0/app.bin", null);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(send("GET", "/releases/1.0.0/", null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/", null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/releases/2.0.0/app.bin", null).statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/../secret.txt", "/releases/../../secret.txt", "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e%2e%2fsecret.txt",
      "/releases/..%2F..%2Fsecret.txt", "/releases/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt",
      "/..\\secret.txt", "/releases/%00/secret.txt", "/%c0%ae%c0%ae/secret.txt", "/%zz/x"})
  void shouldRefuseAPathThatLeavesTheRepository(String path) throws IOException {
    repoWithAFile();

    String answer = raw(path);

    assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("SECRET");
  }

  @Test
  void shouldTreatADoubleEncodedDotAsAFileName() throws IOException {
    repoWithAFile();

    assertThat(raw("/%252e%252e/secret.txt")).startsWith("HTTP/1.1 404")
        .doesNotContain("SECRET");
  }

  @Test
  void shouldNotFollowASymbolicLinkOutOfTheRepository() throws IOException {
    Path repo = repoWithAFile();
    Files.createSymbolicLink(repo.resolve("releases/1.0.0/leak.txt"), tmp.resolve("secret.txt"));
    Files.createSymbolicLink(repo.resolve("outside"), tmp);

    assertThat(raw("/releases/1.0.0/leak.txt")).startsWith("HTTP/1.1 404")
        .doesNotContain("SECRET");
    assertThat(raw("/outside/secret.txt")).startsWith("HTTP/1.1 404").doesNotContain("SECRET");
  }

  @Test
  void shouldRejectABadPortAndAMissingRepository() {
    assertThat(cli.run("serve", "--repo", tmp, "--port", "70000").code()).isEqualTo(Exit.USAGE);
    Result missing = cli.run("serve", "--repo", tmp.resolve("none"), "--port", "0");
    assertThat(missing.code()).isEqualTo(Exit.USAGE);
    assertThat(missing.err()).contains("is not a directory", "updater publish");
  }
}
