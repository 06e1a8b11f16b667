package dev.updater.core.confirm;

import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.Version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CommandHealthCheck} running real {@code sh} commands in a release directory. */
class CommandHealthCheckTest {
  @TempDir Path home;

  private final MutableClock clock = MutableClock.at(Instant.parse("2024-01-01T00:00:00Z"));

  @Test
  void passesWhenTheCommandExitsZeroInTheReleaseDirectory() throws Exception {
    Path release = Files.createDirectories(home.resolve("releases/1.1.0"));
    Files.writeString(release.resolve("ready"), "");

    check("test -f ready && test \"$UPDATER_VERSION\" = 1.1.0").check(context(release));
  }

  @Test
  void failsWithTheExitStatusAndOutputWhenTheCommandKeepsFailing() throws Exception {
    Path release = Files.createDirectories(home.resolve("releases/1.1.0"));

    assertThatThrownBy(() -> check("echo schema too old; exit 3").check(context(release)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("exited 3: schema too old");
  }

  @Test
  void killsACommandThatRunsPastItsTimeout() throws Exception {
    Path release = Files.createDirectories(home.resolve("releases/1.1.0"));
    CommandHealthCheck check = CommandHealthCheck.builder(List.of("sh", "-c", "sleep 30"))
        .commandTimeout(Duration.ofMillis(200)).timeout(Duration.ofMillis(100))
        .clock(clock).sleeper(clock::advance).build();

    long started = System.nanoTime();
    assertThatThrownBy(() -> check.check(context(release)))
        .hasMessageContaining("still running after").hasMessageContaining("was killed");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void failsFastWhenTheCommandFailsTheSameWayEveryTime() throws Exception {
    Path release = Files.createDirectories(home.resolve("releases/1.1.0"));
    CommandHealthCheck check = CommandHealthCheck.builder(
            List.of("sh", "-c", "echo schema too old; exit 3"))
        .clock(clock).sleeper(clock::advance).build();
    Instant started = clock.instant();

    assertThatThrownBy(() -> check.check(context(release)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("'sh -c echo schema too old; exit 3' failed the same way 5 times"
            + " in a row (5 attempts in 4 s), so it is not tried for the rest of its 60 s")
        .hasMessageContaining("exited 3: schema too old");
    assertThat(Duration.between(started, clock.instant())).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void keepsTryingUntilTheTimeoutWhileTheFailureChanges() throws Exception {
    Path release = Files.createDirectories(home.resolve("releases/1.1.0"));
    CommandHealthCheck check = CommandHealthCheck.builder(List.of("sh", "-c",
            "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count;"
                + " echo starting, attempt $n; exit 1"))
        .timeout(Duration.ofSeconds(8)).clock(clock).sleeper(clock::advance).build();

    assertThatThrownBy(() -> check.check(context(release)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("was not healthy within 8 s (8 attempts)")
        .hasMessageContaining("starting, attempt 8");
  }

  @Test
  void failingFastCanBeTurnedOff() throws Exception {
    Path release = Files.createDirectories(home.resolve("releases/1.1.0"));
    CommandHealthCheck check = CommandHealthCheck.builder(List.of("sh", "-c", "exit 1"))
        .timeout(Duration.ofSeconds(10)).failFastAfter(0)
        .clock(clock).sleeper(clock::advance).build();

    assertThatThrownBy(() -> check.check(context(release)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("(10 attempts)");
    assertThatThrownBy(() -> CommandHealthCheck.builder(List.of("true")).failFastAfter(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failFastAfter");
  }

  private CommandHealthCheck check(String script) {
    return CommandHealthCheck.builder(List.of("sh", "-c", script))
        .interval(Duration.ofMillis(100)).timeout(Duration.ofMillis(300))
        .clock(clock).sleeper(clock::advance).build();
  }

  private UpdateContext context(Path release) {
    return new UpdateContext(UpdateEvent.Operation.INSTALL, Step.CONFIRM,
        Optional.of(Version.parse("1.0.0")), Version.parse("1.1.0"), Layout.of(home), release);
  }
}
