package dev.updater.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.command.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the restarters find commands on their PATH and run them in their environment. */
class CommandsTest {
  @TempDir Path dir;

  private Path script(Path bin, String name, String body) throws Exception {
    Files.createDirectories(bin);
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static Commands commands(Map<String, String> variables) {
    return new Commands(CommandEnvironment.builder().variables(variables)
        .detectionTimeout(Duration.ofSeconds(5)).restartTimeout(Duration.ofMillis(500)).build());
  }

  @Test
  void findsTheFirstExecutableOnThePathAndSkipsNonExecutables() throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    Files.createDirectories(first);
    Files.writeString(first.resolve("tool"), "not executable");
    Path tool = script(second, "tool", "exit 0");
    Commands commands = commands(Map.of("PATH", first + ":" + second));

    assertThat(commands.find("tool")).contains(tool);
    assertThat(commands.find("missing")).isEmpty();
  }

  @Test
  void neverLooksInTheWorkingDirectoryForAnEmptyPathEntry() {
    assertThat(commands(Map.of("PATH", ":")).find("pom.xml")).isEmpty();
  }

  @Test
  void findsNothingWithoutAPath() {
    assertThat(commands(Map.of()).find("sh")).isEmpty();
  }

  @Test
  void aProbeCapturesStdoutAndStderrAndTheExitCode() throws Exception {
    Path tool = script(dir, "tool", "echo out; echo err >&2; exit 3");

    CommandResult result = commands(Map.of()).probe(tool);

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.timedOut()).isFalse();
    assertThat(result.succeeded()).isFalse();
    assertThat(result.output()).contains("out", "err");
  }

  @Test
  void passesExactlyTheGivenEnvironmentAndArguments() throws Exception {
    Path tool = script(dir, "tool", "printf '%s|%s|%s' \"$GREETING\" \"$1\" \"$HOME\"");

    CommandResult result = commands(Map.of("GREETING", "hi")).probe(tool, "a b");

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).isEqualTo("hi|a b|");
  }

  @Test
  void aRestartCommandThatOutlivesItsTimeoutIsKilledAndReportedWithItsOutput() throws Exception {
    Path tool = script(dir, "tool", "echo started; exec sleep 30");
    long start = System.nanoTime();

    assertThatThrownBy(() -> commands(Map.of("PATH", "/usr/bin:/bin")).restart(tool))
        .isInstanceOf(RestartException.class)
        .hasMessageContaining("timed out and was killed")
        .hasMessageEndingWith(": started");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aRestartCommandThatCannotStartIsARestartException() {
    assertThatThrownBy(() -> commands(Map.of()).restart(dir.resolve("missing")))
        .isInstanceOf(RestartException.class)
        .hasMessageContaining("could not start " + dir.resolve("missing"));
  }
}
