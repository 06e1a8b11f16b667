package dev.updater.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Layout;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's restart command: placeholders, exit status, timeout (real processes). */
class CommandRestarterTest {
  @TempDir Path tmp;

  private UpdateContext context() {
    Layout layout = Layout.of(tmp.resolve("home"));
    Version back = Version.parse("1.0.0");
    return new UpdateContext(UpdateEvent.Operation.INSTALL, Step.RESTART,
        Optional.of(Version.parse("1.1.0")), back, layout, layout.release(back));
  }

  @Test
  void shouldFillInTheVersionTheReleaseDirectoryAndTheHome() throws Exception {
    Path out = tmp.resolve("out");
    new CommandRestarter(List.of("/bin/sh", "-c", "printf '%s %s %s' \"$0\" \"$1\" \"$2\" > " + out,
        "{version}", "{release}", "{home}"), Duration.ofSeconds(30)).restart(context());

    assertThat(Files.readString(out)).isEqualTo("1.0.0 " + tmp.resolve("home/releases/1.0.0")
        + " " + tmp.resolve("home"));
  }

  @Test
  void shouldFailWhenTheCommandExitsNonZero() {
    assertThatThrownBy(() -> new CommandRestarter(List.of("/bin/sh", "-c", "exit 5"),
        Duration.ofSeconds(30)).restart(context()))
        .hasMessageContaining("exited 5");
  }

  @Test
  void shouldKillACommandThatOutlivesItsTimeout() {
    assertThatThrownBy(() -> new CommandRestarter(List.of("/bin/sh", "-c", "sleep 30"),
        Duration.ofMillis(300)).restart(context()))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("was killed");
  }
}
