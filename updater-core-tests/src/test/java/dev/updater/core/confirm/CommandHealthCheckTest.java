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
