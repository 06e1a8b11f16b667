package dev.updater.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pm2RestarterTest {
  @TempDir Path dir;

  @Test
  void restartsTheAppByName() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("pm2").on("restart myapp", 0, "[PM2] Applying action restartProcessId").install();

    Restarters.pm2("myapp", s.environment()).restart(s.context());

    assertThat(s.calls("pm2")).containsExactly("restart myapp");
  }

  @Test
  void looksForTheDaemonInPm2HomeWhenSet() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("pm2").on("describe myapp", 0, "status: online").install();
    Path pm2Home = Files.createDirectories(dir.resolve("pm2home"));
    Files.writeString(pm2Home.resolve("rpc.sock"), "");
    CommandEnvironment env =
        s.environment().toBuilder().variable("PM2_HOME", pm2Home.toString()).build();

    assertThat(Pm2Restarter.of("myapp", env).availability().isAvailable()).isTrue();
    assertThat(s.calls("pm2")).containsExactly("describe myapp");
  }

  @Test
  void isUnavailableWhenDescribeSaysTheAppDoesNotExistEvenWithExitZero() throws Exception {
    StandIns s = StandIns.in(dir).pm2DaemonRunning();
    s.command("pm2").on("describe myapp", 0, "[PM2][WARN] myapp doesn't exist").install();

    Availability availability = Pm2Restarter.of("myapp", s.environment()).availability();

    assertThat(availability.isAvailable()).isFalse();
    assertThat(availability.reason()).contains("pm2 does not know app myapp");
  }

  @Test
  void killsAHangingRestartAtTheRestartTimeout() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("pm2").hangOn("restart myapp").install();
    Pm2Restarter restarter =
        Pm2Restarter.of("myapp", s.environment(Duration.ofSeconds(5), Duration.ofMillis(300)));

    long start = System.nanoTime();
    assertThatThrownBy(() -> restarter.restart(s.context()))
        .isInstanceOf(RestartException.class)
        .hasMessageContaining("restart myapp\" timed out and was killed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }
}
