package dev.updater.systemd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
  @TempDir Path dir;

  private Path script(Path bin, String name, String body) throws Exception {
    Files.createDirectories(bin);
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void findsTheFirstExecutableOnThePathAndSkipsNonExecutables() throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    Files.createDirectories(first);
    Files.writeString(first.resolve("tool"), "not executable");
    Path tool = script(second, "tool", "exit 0");
    CommandRunner runner = CommandRunner.of(Map.of("PATH", first + ":" + second));

    assertThat(runner.find("tool")).contains(tool);
    assertThat(runner.find("missing")).isEmpty();
  }

  @Test
  void neverLooksInTheWorkingDirectoryForAnEmptyPathEntry() {
    CommandRunner runner = CommandRunner.of(Map.of("PATH", ":"));

    assertThat(runner.find("pom.xml")).isEmpty();
  }

  @Test
  void findsNothingWithoutAPath() {
    assertThat(CommandRunner.of(Map.of()).find("sh")).isEmpty();
  }

  @Test
  void capturesStdoutAndStderrAndTheExitCode() throws Exception {
    Path tool = script(dir, "tool", "echo out; echo err >&2; exit 3");

    CommandResult result = CommandRunner.of(Map.of()).run(tool, List.of(), Duration.ofSeconds(5));

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.timedOut()).isFalse();
    assertThat(result.succeeded()).isFalse();
    assertThat(result.output()).contains("out", "err");
  }

  @Test
  void passesExactlyTheGivenEnvironmentAndArguments() throws Exception {
    Path tool = script(dir, "tool", "printf '%s|%s|%s' \"$GREETING\" \"$1\" \"$HOME\"");

    CommandResult result = CommandRunner.of(Map.of("GREETING", "hi"))
        .run(tool, List.of("a b"), Duration.ofSeconds(5));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).isEqualTo("hi|a b|");
  }

  @Test
  void truncatesHugeOutput() throws Exception {
    Path tool = script(dir, "tool",
        "i=0; while [ $i -lt 3000 ]; do echo 0123456789; i=$((i+1)); done");

    CommandResult result = CommandRunner.of(Map.of()).run(tool, List.of(), Duration.ofSeconds(10));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).endsWith("[output truncated]");
    assertThat(result.output().length()).isLessThan(CommandRunner.MAX_OUTPUT_BYTES + 100);
  }

  @Test
  void killsACommandAtItsTimeoutAndKeepsItsOutputSoFar() throws Exception {
    Path tool = script(dir, "tool", "echo started; exec sleep 30");

    CommandResult result = CommandRunner.of(Map.of("PATH", "/usr/bin:/bin"))
        .run(tool, List.of(), Duration.ofMillis(500));

    assertThat(result.timedOut()).isTrue();
    assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(10));
    assertThat(result.output()).isEqualTo("started");
    assertThat(result.describe()).contains("timed out and was killed");
  }
}
