package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code updater doctor} narrows a failure to the layout, the database or the source: each broken
 * part is one FAIL line naming the fix, and a healthy install is all OK (exit 0).
 */
class DoctorTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness(Clock.systemUTC());
  HttpServer server;
  Path repo;
  Path home;
  Path pub;
  Path db;
  String url;

  @BeforeEach
  void installFromAServedRepository() throws Exception {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    pub = tmp.resolve("keys/updater.pub");
    server = CliHarness.serve(repo, "app");
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/app/";
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    assertThat(cli.run("publish", "--repo", repo, "--version", "1.0.0", "--requires-db", "sqlite",
        "--key", tmp.resolve("keys/updater.key"),
        artifact(tmp.resolve("build"), "app-1.0.0.zip", "1.0.0")).code()).isZero();
    assertThat(cli.run("install", "--home", home, "--source", url, "--trust", pub).code())
        .isZero();
    db = tmp.resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("create table items (id integer primary key)");
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  Result doctor(CliHarness harness, Object... extra) {
    Object[] base = {"doctor", "--home", home};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return harness.run(all);
  }

  static List<String> failures(Result r) {
    return r.out().lines().filter(l -> l.startsWith("FAIL")).toList();
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void shouldReportEveryCheckOkOnAHealthyInstall() {
    Result r = doctor(cli, "--source", url, "--trust", pub, "--jdbc-url", "jdbc:sqlite:" + db);

    assertThat(r.code()).as("%s", r).isZero();
    assertThat(failures(r)).isEmpty();
    assertThat(r.out()).contains(
        "OK   layout: home " + home + " exists",
        "OK   layout: 'current' -> releases/1.0.0",
        "is writable by this user only",
        "free on the file system",
        "OK   layout: journal: installed 1.0.0",
        "OK   source: " + url + "channels/stable.json is reachable (HTTP 200)",
        "OK   clock: within 5 minutes of the server's Date",
        "OK   source: index of channel stable: serial 1",
        "signed by a trusted key",
        "OK   database: connected to jdbc:sqlite:",
        "OK   database: provider sqlite",
        "OK   database: the newest release 1.0.0 supports sqlite",
        "doctor: all ");
    assertThat(r.out()).doesNotContain("not checked");
  }

  @Test
  void shouldFailOnAMissingCurrentLinkNamingTheRelinkCommand() throws IOException {
    Files.delete(home.resolve("current"));

    Result r = doctor(cli);

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.FAILED);
    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL layout: the 'current' link", "is missing",
            "fix: point it at the release that ran: ln -sfn releases/1.0.0 "
                + home.resolve("current"),
            "updater install --repair --home " + home);
    assertThat(r.out()).contains("not checked: source", "database");
  }

  @Test
  void shouldFailOnAnUnreachableSourceNamingTheNetwork() throws IOException {
    String closed = "http://127.0.0.1:" + closedPort() + "/app/";

    Result r = doctor(cli, "--source", closed, "--trust", pub);

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.FAILED);
    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL source: cannot reach " + closed + "channels/stable.json",
            "fix: check the host name and port in --source", "firewall");
  }

  @Test
  void shouldFailOnABadSignatureNamingTheTrustedKey() throws IOException {
    Path index = repo.resolve("channels/stable.json");
    Files.writeString(index, Files.readString(index).replace("sqlite", "sqlitf"));

    Result r = doctor(cli, "--source", url, "--trust", pub);

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.FAILED);
    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL source: the index of channel stable", "not signed by a trusted key",
            "fix: check that --trust names the publisher's current public key",
            "re-publishes to re-sign it");
  }

  @Test
  void shouldFailOnAnIndexOfAnotherApplication() {
    Result r = doctor(cli, "--source", repo, "--trust", pub, "--application", "billing");

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.FAILED);
    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL source: the index is published for the application", "not 'billing'",
            "fix: check that --source names this application's repository");
  }

  @Test
  void shouldFailOnAnIndexSignedByAnotherKey() {
    assertThat(cli.run("keygen", "--out", tmp.resolve("other")).code()).isZero();

    Result r = doctor(cli, "--source", repo, "--trust", tmp.resolve("other/updater.pub"));

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.FAILED);
    assertThat(failures(r)).singleElement().asString()
        .contains("not signed by a trusted key", "--trust");
  }

  @Test
  void shouldFailOnAnUnreachableDatabaseNamingTheConnection() throws IOException {
    String jdbc = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/app";

    Result r = doctor(cli, "--jdbc-url", jdbc, "--jdbc-user", "app");

    assertThat(r.code()).as("%s", r).isEqualTo(Exit.FAILED);
    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL database: cannot connect to " + jdbc,
            "fix: check that the database runs and accepts connections at this address");
  }

  @Test
  void shouldFailOnAMissingSqliteFileWithoutCreatingIt() {
    Path missing = tmp.resolve("missing.db");

    Result r = doctor(cli, "--jdbc-url", "jdbc:sqlite:" + missing);

    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL database: the SQLite database " + missing + " does not exist");
    assertThat(missing).doesNotExist();
  }

  @Test
  void shouldFailOnADatabaseTheNewestReleaseDoesNotSupport() throws Exception {
    assertThat(cli.run("publish", "--repo", repo, "--version", "1.1.0", "--requires-db",
        "postgresql", "--key", tmp.resolve("keys/updater.key"),
        artifact(tmp.resolve("build"), "app-1.1.0.zip", "1.1.0")).code()).isZero();

    Result r = doctor(cli, "--source", repo, "--trust", pub, "--jdbc-url", "jdbc:sqlite:" + db);

    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL database: the newest release 1.1.0 supports only postgresql, not sqlite");
  }

  @Test
  void shouldFailOnAClockFarFromTheServers() {
    CliHarness ahead = new CliHarness(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));

    Result r = doctor(ahead, "--source", url, "--trust", pub);

    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL clock: this machine's clock", "differs from the server's",
            "fix: synchronise the clock");
  }

  @Test
  void shouldFailOnAnExpiredIndex() {
    CliHarness late = new CliHarness(Clock.offset(Clock.systemUTC(), Duration.ofDays(40)));

    Result r = doctor(late, "--source", repo, "--trust", pub);

    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL clock: the index expired at", "updater publish", "synchronise the clock");
  }

  @Test
  void shouldFailOnAMissingHome() {
    Result r = cli.run("doctor", "--home", tmp.resolve("nowhere"));

    assertThat(r.code()).isEqualTo(Exit.FAILED);
    assertThat(failures(r)).singleElement().asString()
        .contains("is not a directory", "updater install --home");
  }

  @Test
  void shouldFailOnAFailedLastOperationSayingWhatIsLiveAndHowToClearIt() throws IOException {
    assertThat(cli.run("publish", "--repo", repo, "--version", "1.1.0",
        "--key", tmp.resolve("keys/updater.key"),
        "--artifact", tmp.resolve("build/app-1.0.0.zip"), "--no-manifest").code()).isZero();
    Path published = repo.resolve("releases/1.1.0/app-1.0.0.zip"); // archive only: no delta
    byte[] bytes = Files.readAllBytes(published);
    bytes[bytes.length / 2] ^= 1;
    Files.write(published, bytes);
    assertThat(cli.run("install", "--home", home, "--source", url, "--trust", pub).code())
        .isEqualTo(Exit.VERIFICATION);

    Result r = doctor(cli);

    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL layout: the last operation failed: VERIFICATION_FAILED",
            "1.0.0 is live (the failed operation switched nothing)", "updater clear-error --home")
        .as("nothing switched, so going back would leave the release that works")
        .doesNotContain("updater rollback");
  }

  @Test
  void shouldFailOnAPasswordVariableThatIsNotSet() {
    String variable = "UPDATER_DOCTOR_TEST_PASSWORD_THAT_IS_NOT_SET";
    assertThat(System.getenv(variable)).isNull();

    Result r = doctor(cli, "--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/app",
        "--jdbc-user", "app", "--jdbc-password-env", variable);

    assertThat(r.code()).isEqualTo(Exit.FAILED);
    assertThat(failures(r)).singleElement().asString()
        .contains("FAIL database: the environment variable " + variable, "is not set",
            "fix: export " + variable + "=");
  }

  @Test
  void shouldSayWhenTheSignatureIsNotCheckedAndNameAMissingChannel() {
    Result unsigned = doctor(cli, "--source", repo, "--unsigned");
    assertThat(unsigned.code()).as("%s", unsigned).isZero();
    assertThat(unsigned.out()).contains("signature not checked (--unsigned)");

    Result beta = doctor(cli, "--source", repo, "--trust", pub, "--channel", "beta");
    assertThat(beta.code()).isEqualTo(Exit.FAILED);
    assertThat(failures(beta)).singleElement().asString()
        .contains("does not publish channel beta", "fix: check --source and --channel");
  }

  @Test
  void shouldNeedTheUrlForADatabaseUser() {
    Result r = doctor(cli, "--jdbc-user", "app");

    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("missing --jdbc-url");
  }
}
