package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --source http://...} installs from a repository served over real HTTP on 127.0.0.1. */
class HttpSourceTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  HttpServer server;
  Path repo;

  @BeforeEach
  void serveTheRepository() throws IOException {
    repo = tmp.resolve("repo");
    server = CliHarness.serve(repo, "myapp");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void installsTheNewestSignedReleaseOverHttp() throws IOException {
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    for (String v : new String[] {"1.0.0", "1.1.0"}) {
      assertThat(cli.run("publish", "--repo", repo, "--version", v,
          "--key", tmp.resolve("keys/updater.key"),
          artifact(tmp.resolve("build"), "app-" + v + ".zip", v)).code()).isZero();
    }
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/myapp/";
    Path home = tmp.resolve("home");

    Result r = cli.run("install", "--home", home, "--source", url,
        "--trust", tmp.resolve("keys/updater.pub"));
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("installed 1.1.0 (first install)");
    assertThat(live(home)).isEqualTo("1.1.0");
  }

  @Test
  void aChannelTheServerDoesNotHaveIsUnavailable() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/myapp/";
    Result r = cli.run("check", "--home", tmp.resolve("home"), "--source", url, "--unsigned");
    assertThat(r.code()).as("%s", r).isEqualTo(Exit.UNAVAILABLE);
    assertThat(r.err()).contains("SOURCE_UNAVAILABLE");
  }
}
