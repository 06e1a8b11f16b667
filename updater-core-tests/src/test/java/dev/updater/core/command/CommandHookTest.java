package dev.updater.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.HistoryEntry;
import dev.updater.core.Release;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.ReleaseArchives;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command hooks through the public API with real processes: a real {@code npm ci} builds the
 * staged tree before it goes live; a command that fails or hangs refuses the install with the live
 * release unchanged, its exit and output tail in the failure and the history, and a hanging
 * command's whole process tree ended.
 */
class CommandHookTest {
  private static final String PACKAGE_JSON = "{\"name\":\"app\",\"version\":\"%s\",\"private\":true,"
      + "\"scripts\":{\"postinstall\":\"node -e \\\"require('fs').writeFileSync('built.txt',"
      + "'built '+process.env.UPDATER_TO)\\\"\"}}";
  private static final String LOCK_JSON = "{\"name\":\"app\",\"version\":\"%s\",\"lockfileVersion\":3,"
      + "\"requires\":true,\"packages\":{\"\":{\"name\":\"app\",\"version\":\"%s\","
      + "\"hasInstallScript\":true}}}";

  @TempDir
  Path tmp;

  private Path home;
  private InMemoryReleaseSource source;

  @BeforeEach
  void installTheFirstRelease() {
    home = tmp.resolve("home");
    source = InMemoryReleaseSource.create();
    Release first = source.publish(Version.parse("1.0.0"), archive("1.0.0"));
    Updaters.builder(home, source).build().install(first);
  }

  private static byte[] archive(String version) {
    return ReleaseArchives.builder()
        .file("VERSION", version + "\n")
        .file("package.json", String.format(PACKAGE_JSON, version))
        .file("package-lock.json", String.format(LOCK_JSON, version, version))
        .tarGz();
  }

  private Updater updaterWith(Step step, CommandHook hook) {
    return Updaters.builder(home, source).after(step, hook).build();
  }

  @Test
  void shouldRunNpmCiInTheStagedTreeBeforeItGoesLive() throws IOException {
    Release second = source.publish(Version.parse("1.1.0"), archive("1.1.0"));
    CommandHook npm = CommandHook.builder("npm", "ci", "--offline", "--no-audit", "--no-fund")
        .variable("npm_config_cache", tmp.resolve("npm-cache").toString())
        .timeout(Duration.ofMinutes(2))
        .build();

    UpdateResult result = updaterWith(Step.STAGE, npm).install(second);

    assertThat(result).isEqualTo(new UpdateResult.Updated(
        java.util.Optional.of(Version.parse("1.0.0")), Version.parse("1.1.0")));
    Path live = home.resolve("current");
    assertThat(Files.readString(live.resolve("VERSION"))).isEqualTo("1.1.0\n");
    assertThat(Files.readString(live.resolve("built.txt"))).isEqualTo("built 1.1.0");
  }

  @Test
  void shouldRefuseTheInstallWithTheExitCodeAndOutputTailWhenTheCommandFails()
      throws IOException {
    Release second = source.publish(Version.parse("1.1.0"), archive("1.1.0"));
    Map<String, String> before = snapshot(home);
    Updater updater = updaterWith(Step.STAGE, CommandHook.shell(
        "echo compiling $UPDATER_TO; echo 'error: missing module left-pad' >&2; exit 3").build());

    assertThatThrownBy(() -> updater.install(second))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(UpdateException.Reason.HOOK_FAILED);
          assertThat(e.step()).contains(Step.STAGE);
          assertThat(e.getMessage()).contains("exited 3")
              .contains("compiling 1.1.0").contains("error: missing module left-pad");
          assertThat(e.getCause()).isInstanceOf(CommandFailedException.class);
        });

    assertThat(snapshot(home)).isEqualTo(before);
    assertThat(updater.status().installed()).contains(Version.parse("1.0.0"));
    HistoryEntry last = lastEntry(updater);
    assertThat(last.outcome()).isEqualTo(HistoryEntry.Outcome.FAILED);
    assertThat(last.message()).contains("exited 3").contains("missing module left-pad");
  }

  @Test
  void shouldEndTheWholeProcessTreeOfAHangingCommandAtItsTimeout() throws Exception {
    Release second = source.publish(Version.parse("1.1.0"), archive("1.1.0"));
    Map<String, String> before = snapshot(home);
    Path pidFile = tmp.resolve("child.pid");
    Updater updater = updaterWith(Step.STAGE, CommandHook.shell(
        "sleep 300 & echo $! > '" + pidFile + "'; echo waiting for the build; wait")
        .timeout(Duration.ofMillis(1500)).build());

    assertThatThrownBy(() -> updater.install(second))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(UpdateException.Reason.HOOK_FAILED);
          assertThat(e.getMessage()).contains("timed out").contains("waiting for the build");
        });

    long child = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
        .as("the background child of the hook was ended").isFalse();
    assertThat(snapshot(home)).isEqualTo(before);
    assertThat(lastEntry(updater).message()).contains("timed out");
  }

  @Test
  void shouldPutThePreviousReleaseBackWhenACommandAfterActivationFails() throws IOException {
    Release second = source.publish(Version.parse("1.1.0"), archive("1.1.0"));
    Updater updater = updaterWith(Step.ACTIVATE, CommandHook.shell(
        "test \"$(cat VERSION)\" = 1.0.0 || { echo \"smoke test of $UPDATER_TO failed\"; exit 1; }")
        .build());

    assertThatThrownBy(() -> updater.install(second))
        .isInstanceOfSatisfying(UpdateException.class, e ->
            assertThat(e.getMessage()).contains("smoke test of 1.1.0 failed"));

    assertThat(Files.readString(home.resolve("current/VERSION"))).isEqualTo("1.0.0\n");
    assertThat(lastEntry(updater).outcome()).isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
  }

  @Test
  void shouldRefuseAProgramThatCannotBeStartedWithTheLiveReleaseUnchanged() throws IOException {
    Release second = source.publish(Version.parse("1.1.0"), archive("1.1.0"));
    Map<String, String> before = snapshot(home);
    Updater updater = updaterWith(Step.STAGE,
        CommandHook.builder("no-such-build-tool-here").build());

    assertThatThrownBy(() -> updater.install(second))
        .isInstanceOfSatisfying(UpdateException.class, e -> assertThat(e.getMessage())
            .contains("cannot start \"no-such-build-tool-here\"").contains("PATH"));
    assertThat(snapshot(home)).isEqualTo(before);
  }

  @Test
  void shouldRefuseBadSettingsAtOnce() {
    assertThatThrownBy(() -> CommandHook.shell(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a command");
    assertThatThrownBy(() -> CommandHook.builder(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a program");
    assertThatThrownBy(() -> CommandHook.builder("npm").timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    assertThatThrownBy(() -> CommandHook.builder("npm").variable("A=B", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A=B");
    assertThatThrownBy(() -> CommandHook.builder("npm").outputLimit(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputLimit");
  }

  private static HistoryEntry lastEntry(Updater updater) {
    List<HistoryEntry> history = updater.history();
    return history.get(history.size() - 1);
  }

  /** Every file under the home except the journal's own bookkeeping, with its content. */
  static Map<String, String> snapshot(Path home) throws IOException {
    Map<String, String> files = new java.util.TreeMap<>();
    try (Stream<Path> walk = Files.walk(home)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String name = home.relativize(p).toString();
        if (name.startsWith(".updater")) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          files.put(name, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p)) {
          files.put(name, new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
        } else {
          files.put(name, "/");
        }
      }
    }
    return files;
  }
}
