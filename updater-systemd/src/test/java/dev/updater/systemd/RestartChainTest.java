package dev.updater.systemd;

import static dev.updater.systemd.RestartChain.Outcome.FAILED;
import static dev.updater.systemd.RestartChain.Outcome.RESTARTED;
import static dev.updater.systemd.RestartChain.Outcome.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.updater.systemd.RestartChain.Decision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain of pm2, systemd user unit, systemd system unit and exit code, against stand-in pm2,
 * systemctl and sudo executables (real processes).
 */
class RestartChainTest {
  private static final String USER_SHOW = "--user show -p LoadState myapp.service";
  private static final String SYSTEM_SHOW = "show -p LoadState myapp.service";
  private static final String SUDO_ASK = "-n -l systemctl restart myapp.service";

  @TempDir Path dir;
  private final List<Integer> exits = new ArrayList<>();

  private RestartChain chain(StandIns standIns) {
    CommandEnvironment env = standIns.environment();
    return Restarters.firstAvailable(
        Restarters.pm2("myapp", env),
        Restarters.systemdUser("myapp", env),
        Restarters.systemdSystem("myapp", env),
        Restarters.exitWith(75).exitingVia(exits::add));
  }

  private static StandIns.Script systemctlWithUserUnitLoaded(StandIns s) {
    return s.command("systemctl")
        .on(USER_SHOW, 0, "LoadState=loaded")
        .on("--user restart myapp.service", 0, "");
  }

  @Test
  void picksPm2WhenPm2KnowsTheApp() throws Exception {
    StandIns s = StandIns.in(dir).pm2DaemonRunning();
    s.command("pm2").on("describe myapp", 0, "status: online").on("restart myapp", 0, "[PM2] done")
        .install();
    systemctlWithUserUnitLoaded(s).install();
    RestartChain chain = chain(s);

    chain.restart(s.context());

    assertThat(s.calls("pm2")).containsExactly("describe myapp", "restart myapp");
    assertThat(s.calls("systemctl")).isEmpty();
    assertThat(exits).isEmpty();
    assertThat(chain.lastDecisions()).extracting(Decision::restarter, Decision::outcome)
        .containsExactly(tuple("pm2 restart myapp", RESTARTED));
    assertThat(chain.lastDecisions().get(0).reason()).isEqualTo("pm2 knows app myapp");
  }

  @Test
  void picksSystemctlUserWhenPm2IsAbsent() throws Exception {
    StandIns s = StandIns.in(dir);
    systemctlWithUserUnitLoaded(s).install();
    RestartChain chain = chain(s);

    chain.restart(s.context());

    assertThat(s.calls("systemctl")).containsExactly(USER_SHOW, "--user restart myapp.service");
    assertThat(exits).isEmpty();
    assertThat(chain.lastDecisions()).containsExactly(
        new Decision("pm2 restart myapp", SKIPPED, "pm2 not found on PATH"),
        new Decision("systemctl --user restart myapp.service", RESTARTED,
            "user unit myapp.service is loaded"));
  }

  @Test
  void fallsBackToTheExitCodeWhenPm2AndTheUserUnitAreAbsentAndSudoRefuses() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("systemctl")
        .on(USER_SHOW, 0, "LoadState=not-found")
        .on(SYSTEM_SHOW, 0, "LoadState=loaded")
        .install();
    s.command("sudo").on(SUDO_ASK, 1, "sudo: a password is required").install();
    RestartChain chain = chain(s);

    chain.restart(s.context());

    assertThat(exits).containsExactly(75);
    assertThat(s.calls("sudo")).containsExactly(SUDO_ASK);
    assertThat(s.calls("systemctl")).containsExactly(USER_SHOW, SYSTEM_SHOW);
    List<Decision> decisions = chain.lastDecisions();
    assertThat(decisions).extracting(Decision::restarter, Decision::outcome).containsExactly(
        tuple("pm2 restart myapp", SKIPPED),
        tuple("systemctl --user restart myapp.service", SKIPPED),
        tuple("sudo -n systemctl restart myapp.service", SKIPPED),
        tuple("exit 75", RESTARTED));
    assertThat(decisions.get(0).reason()).isEqualTo("pm2 not found on PATH");
    assertThat(decisions.get(1).reason()).contains("not loaded", "LoadState=not-found");
    assertThat(decisions.get(2).reason())
        .contains("sudo does not allow", "a password is required");
    assertThat(decisions.get(3).reason()).contains("exits with code 75");
  }

  @Test
  void fallsBackToTheExitCodeWhenNoCommandIsOnThePath() throws Exception {
    StandIns s = StandIns.in(dir);
    RestartChain chain = chain(s);

    chain.restart(s.context());

    assertThat(exits).containsExactly(75);
    assertThat(chain.lastDecisions()).extracting(Decision::outcome, Decision::reason)
        .containsExactly(
            tuple(SKIPPED, "pm2 not found on PATH"),
            tuple(SKIPPED, "systemctl not found on PATH"),
            tuple(SKIPPED, "systemctl not found on PATH"),
            tuple(RESTARTED, "always: exits with code 75 for a supervisor"));
  }

  @Test
  void restartsTheSystemUnitThroughSudoWhenSudoAllowsIt() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("systemctl")
        .on(USER_SHOW, 1, "Failed to connect to bus: No medium found")
        .on(SYSTEM_SHOW, 0, "LoadState=loaded")
        .install();
    s.command("sudo")
        .on(SUDO_ASK, 0, "/usr/bin/systemctl restart myapp.service")
        .on("-n systemctl restart myapp.service", 0, "")
        .install();
    RestartChain chain = chain(s);

    chain.restart(s.context());

    assertThat(s.calls("sudo")).containsExactly(SUDO_ASK, "-n systemctl restart myapp.service");
    assertThat(exits).isEmpty();
    assertThat(chain.lastDecisions()).extracting(Decision::outcome)
        .containsExactly(SKIPPED, SKIPPED, RESTARTED);
    assertThat(chain.lastDecisions().get(1).reason()).contains("Failed to connect to bus");
  }

  @Test
  void skipsPm2WithoutRunningItWhenItsDaemonIsNotRunning() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("pm2").on("describe myapp", 0, "status: online").install();
    systemctlWithUserUnitLoaded(s).install();
    RestartChain chain = chain(s);

    chain.restart(s.context());

    assertThat(s.calls("pm2")).isEmpty();
    assertThat(chain.lastDecisions().get(0).reason()).startsWith("pm2 daemon not running");
    assertThat(chain.lastDecisions().get(1).outcome()).isEqualTo(RESTARTED);
  }

  @Test
  void skipsPm2WhenPm2DoesNotKnowTheApp() throws Exception {
    StandIns s = StandIns.in(dir).pm2DaemonRunning();
    s.command("pm2").on("describe myapp", 1, "[PM2][WARN] myapp doesn't exist").install();
    systemctlWithUserUnitLoaded(s).install();
    RestartChain chain = chain(s);

    chain.restart(s.context());

    assertThat(s.calls("pm2")).containsExactly("describe myapp");
    assertThat(chain.lastDecisions().get(0))
        .satisfies(d -> assertThat(d.outcome()).isEqualTo(SKIPPED))
        .satisfies(d -> assertThat(d.reason()).contains("myapp doesn't exist"));
  }

  @Test
  void movesOnToTheNextWhenTheChosenRestartCommandFails() throws Exception {
    StandIns s = StandIns.in(dir).pm2DaemonRunning();
    s.command("pm2")
        .on("describe myapp", 0, "status: online")
        .on("restart myapp", 1, "[PM2][ERROR] Process myapp not found")
        .install();
    systemctlWithUserUnitLoaded(s).install();
    RestartChain chain = chain(s);

    chain.restart(s.context());

    assertThat(s.calls("pm2")).containsExactly("describe myapp", "restart myapp");
    assertThat(s.calls("systemctl")).containsExactly(USER_SHOW, "--user restart myapp.service");
    assertThat(chain.lastDecisions()).extracting(Decision::outcome).containsExactly(FAILED,
        RESTARTED);
    assertThat(chain.lastDecisions().get(0).reason())
        .contains("exited 1", "[PM2][ERROR] Process myapp not found");
  }

  @Test
  void killsAHangingRestartCommandAtItsTimeoutAndMovesOn() throws Exception {
    StandIns s = StandIns.in(dir).pm2DaemonRunning();
    s.command("pm2").on("describe myapp", 0, "status: online").hangOn("restart myapp").install();
    systemctlWithUserUnitLoaded(s).install();
    CommandEnvironment env = s.environment(Duration.ofSeconds(5), Duration.ofMillis(500));
    RestartChain chain = Restarters.firstAvailable(
        Restarters.pm2("myapp", env), Restarters.systemdUser("myapp", env));

    long start = System.nanoTime();
    chain.restart(s.context());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(chain.lastDecisions()).extracting(Decision::outcome).containsExactly(FAILED,
        RESTARTED);
    assertThat(chain.lastDecisions().get(0).reason()).contains("timed out");
    assertThat(StandIns.awaitGone(s.hangingChildPid("pm2"), Duration.ofSeconds(5)))
        .as("the stand-in's sleep child was killed too").isTrue();
  }

  @Test
  void throwsWithEveryReasonWhenNoCandidateWorks() throws Exception {
    StandIns s = StandIns.in(dir).pm2DaemonRunning();
    s.command("pm2")
        .on("describe myapp", 0, "status: online")
        .on("restart myapp", 2, "pm2 broke")
        .install();
    CommandEnvironment env = s.environment();
    RestartChain chain = Restarters.firstAvailable(
        Restarters.pm2("myapp", env), Restarters.systemdUser("myapp", env));

    assertThatThrownBy(() -> chain.restart(s.context()))
        .isInstanceOf(RestartException.class)
        .hasMessageContaining("no restarter worked")
        .hasMessageContaining("pm2 restart myapp: failed")
        .hasMessageContaining("pm2 broke")
        .hasMessageContaining("systemctl --user restart myapp.service: skipped")
        .hasMessageContaining("systemctl not found on PATH")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(chain.lastDecisions()).extracting(Decision::outcome).containsExactly(FAILED,
        SKIPPED);
  }

  @Test
  void reportsTheFirstAvailableCandidateAsItsAvailability() throws Exception {
    StandIns s = StandIns.in(dir);
    systemctlWithUserUnitLoaded(s).install();

    Availability availability = chain(s).availability();

    assertThat(availability.isAvailable()).isTrue();
    assertThat(availability.reason())
        .isEqualTo("systemctl --user restart myapp.service: user unit myapp.service is loaded");
    assertThat(s.calls("systemctl")).containsExactly(USER_SHOW);
  }

  @Test
  void firstAvailableByNameTriesPm2ThenUserUnitThenSystemUnitThenExit75() {
    RestartChain chain = Restarters.firstAvailable("myapp", CommandEnvironment.builder().build());

    assertThat(chain.candidates()).extracting(DetectableRestarter::description).containsExactly(
        "pm2 restart myapp",
        "systemctl --user restart myapp.service",
        "sudo -n systemctl restart myapp.service",
        "exit 75");
  }

  @Test
  void rejectsAnEmptyChain() {
    assertThatThrownBy(() -> Restarters.firstAvailable())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }
}
