package dev.updater.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdRestarterTest {
  @TempDir Path dir;

  @Test
  void appendsServiceToANameWithoutAUnitType() {
    assertThat(SystemdRestarter.unitName("myapp")).isEqualTo("myapp.service");
    assertThat(SystemdRestarter.unitName("my.app")).isEqualTo("my.app.service");
  }

  @Test
  void keepsANameThatAlreadyHasAUnitType() {
    assertThat(SystemdRestarter.unitName("myapp.service")).isEqualTo("myapp.service");
    assertThat(SystemdRestarter.unitName("myapp@2.service")).isEqualTo("myapp@2.service");
    assertThat(SystemdRestarter.unitName("myapp.target")).isEqualTo("myapp.target");
  }

  @Test
  void rejectsNamesThatCouldBeReadAsOptionsOrSplit() {
    assertThatThrownBy(() -> SystemdRestarter.user("--force"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SystemdRestarter.user("my app"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SystemdRestarter.system(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pm2Restarter.of("-s"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void runsSystemctlUserRestartWithTheFullUnitName() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("systemctl").on("--user restart myapp.service", 0, "").install();

    SystemdRestarter.user("myapp", s.environment()).restart(s.context());

    assertThat(s.calls("systemctl")).containsExactly("--user restart myapp.service");
  }

  @Test
  void runsSudoNonInteractivelyForASystemUnit() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("sudo").on("-n systemctl restart myapp.service", 0, "").install();

    SystemdRestarter.system("myapp.service", s.environment()).restart(s.context());

    assertThat(s.calls("sudo")).containsExactly("-n systemctl restart myapp.service");
  }

  @Test
  void putsTheCommandOutputInTheFailureMessage() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("systemctl")
        .on("--user restart myapp.service", 5, "Failed to restart myapp.service: Unit not found.")
        .install();
    SystemdRestarter restarter = SystemdRestarter.user("myapp", s.environment());

    assertThatThrownBy(() -> restarter.restart(s.context()))
        .isInstanceOf(RestartException.class)
        .hasMessageContaining("--user restart myapp.service")
        .hasMessageContaining("exited 5")
        .hasMessageContaining("Unit not found.");
  }

  @Test
  void failsWhenSystemctlIsNotOnThePath() throws Exception {
    StandIns s = StandIns.in(dir);
    SystemdRestarter restarter = SystemdRestarter.user("myapp", s.environment());

    assertThatThrownBy(() -> restarter.restart(s.context()))
        .isInstanceOf(RestartException.class)
        .hasMessage("systemctl not found on PATH");
  }

  @Test
  void isUnavailableWhenDetectionHangsPastItsTimeout() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("systemctl").hangOn("--user show -p LoadState myapp.service").install();
    SystemdRestarter restarter = SystemdRestarter.user("myapp",
        s.environment(Duration.ofMillis(300), Duration.ofSeconds(5)));

    Availability availability = restarter.availability();

    assertThat(availability.isAvailable()).isFalse();
    assertThat(availability.reason()).contains("not loaded", "timed out");
  }

  @Test
  void doesNotAskSudoWhenTheSystemUnitIsNotLoaded() throws Exception {
    StandIns s = StandIns.in(dir);
    s.command("systemctl").on("show -p LoadState myapp.service", 0, "LoadState=not-found")
        .install();
    s.command("sudo").on("-n -l systemctl restart myapp.service", 0, "").install();

    Availability availability = SystemdRestarter.system("myapp", s.environment()).availability();

    assertThat(availability.isAvailable()).isFalse();
    assertThat(s.calls("sudo")).isEmpty();
  }
}
