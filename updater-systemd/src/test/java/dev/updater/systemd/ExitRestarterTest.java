package dev.updater.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitRestarterTest {
  @TempDir Path dir;

  @Test
  void endsTheProcessWithTheConfiguredCodeThroughItsExitAction() throws Exception {
    List<Integer> exits = new ArrayList<>();

    ExitRestarter.withCode(42).exitingVia(exits::add).restart(StandIns.in(dir).context());

    assertThat(exits).containsExactly(42);
  }

  @Test
  void defaultsToExTempfail75() {
    assertThat(ExitRestarter.withDefaultCode().code()).isEqualTo(75);
    assertThat(ExitRestarter.DEFAULT_CODE).isEqualTo(75);
  }

  @Test
  void isAlwaysAvailable() {
    Availability availability = ExitRestarter.withCode(75).availability();

    assertThat(availability.isAvailable()).isTrue();
    assertThat(availability.reason()).isEqualTo("always: exits with code 75 for a supervisor");
  }

  @Test
  void rejectsCodeZeroBecauseASupervisorWouldNotRestart() {
    assertThatThrownBy(() -> ExitRestarter.withCode(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..255");
  }

  @Test
  void rejectsCodesTheOperatingSystemWouldTruncate() {
    assertThatThrownBy(() -> ExitRestarter.withCode(256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExitRestarter.withCode(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChildJvmEndsWithTheConfiguredExitStatusAndFlushedOutput() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ExitingHost.class.getName(), "75", dir.toString())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();

    boolean ended = child.waitFor(60, TimeUnit.SECONDS);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ended) {
      child.destroyForcibly();
    }

    assertThat(ended).as("child ended; output: %s", output).isTrue();
    assertThat(child.exitValue()).as("exit status; output: %s", output).isEqualTo(75);
    assertThat(output).contains("about to exit").doesNotContain("returned");
  }
}
