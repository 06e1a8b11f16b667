package dev.updater.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Command} running real {@code sh} processes. */
class CommandTest {
  @TempDir Path dir;

  private static CommandResult sh(String script) throws Exception {
    return Command.builder("sh", "-c", script).timeout(Duration.ofSeconds(10)).build().run();
  }

  @Test
  void capturesStdoutAndStderrAndTheExitCode() throws Exception {
    CommandResult result = sh("echo out; echo err >&2; exit 3");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.timedOut()).isFalse();
    assertThat(result.succeeded()).isFalse();
    assertThat(result.output()).isEqualTo("out\nerr");
    assertThat(result.outputTruncated()).isFalse();
    assertThat(result.describe()).startsWith("\"sh -c echo out; echo err >&2; exit 3\" exited 3")
        .endsWith(": out\nerr");
  }

  @Test
  void aZeroExitSucceeds() throws Exception {
    CommandResult result = sh("true");

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).isEmpty();
    assertThat(result.describe()).endsWith("(no output)");
  }

  @Test
  void runsInTheWorkingDirectoryWithTheArgumentsAsGiven() throws Exception {
    CommandResult result = Command.builder("sh", "-c", "pwd; printf '%s|' \"$1\"", "sh", "a b")
        .directory(dir).build().run();

    assertThat(result.output()).isEqualTo(dir.toRealPath() + "\na b|");
  }

  @Test
  void addsVariablesToThisProcesssEnvironment() throws Exception {
    CommandResult result = Command.builder("sh", "-c", "printf '%s|%s' \"$GREETING\" \"$PATH\"")
        .variable("GREETING", "hi").build().run();

    assertThat(result.output()).isEqualTo("hi|" + System.getenv("PATH"));
  }

  @Test
  void passesExactlyTheGivenEnvironmentWhenOneIsGiven() throws Exception {
    CommandResult result = Command.builder("/bin/sh", "-c",
            "printf '%s|%s|%s' \"$A\" \"$B\" \"$HOME\"")
        .environment(Map.of("A", "1")).variable("B", "2").build().run();

    assertThat(result.output()).isEqualTo("1|2|");
  }

  @Test
  void keepsOnlyTheLastBytesOfALongOutput() throws Exception {
    CommandResult result = Command.builder("sh", "-c",
            "i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done")
        .outputLimit(1000).build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.outputTruncated()).isTrue();
    assertThat(result.output().length()).isLessThanOrEqualTo(1000);
    assertThat(result.output()).endsWith("line 2998\nline 2999").doesNotContain("line 1\n");
    assertThat(result.describe()).contains("[earlier output dropped] ");
  }

  @Test
  void neverStartsTheKeptTailInTheMiddleOfACharacter() throws Exception {
    // 'é' is two bytes, so a limit of 5 bytes cuts the third-to-last one in half
    CommandResult result = Command.builder("printf", "%s", "ééé").outputLimit(5).build().run();

    assertThat(result.output()).isEqualTo("éé");
  }

  @Test
  void handsEveryLineToTheListenerAsItArrives() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Command.builder("sh", "-c", "echo one; printf 'two\\r\\n'; echo three >&2; printf four")
        .outputLimit(4).onOutputLine(lines::add).build().run();

    assertThat(lines).containsExactly("one", "two", "three", "four");
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheCapture() throws Exception {
    CommandResult result = Command.builder("sh", "-c", "echo one; echo two")
        .onOutputLine(line -> {
          throw new IllegalStateException("listener broke");
        }).build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).isEqualTo("one\ntwo");
  }

  @Test
  void aCommandThatOutlivesItsTimeoutIsEndedWithEveryProcessItStarted() throws Exception {
    Command command = Command.builder("sh", "-c",
            "sleep 60 & echo $!; sleep 61 & echo $!; echo started; wait")
        .timeout(Duration.ofMillis(700)).build();

    long start = System.nanoTime();
    CommandResult result = command.run();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(result.timedOut()).isTrue();
    assertThat(result.exitCode()).isEqualTo(-1);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.describe()).contains("timed out and was killed");
    List<String> lines = result.output().lines().toList();
    assertThat(lines).hasSize(3).endsWith("started");
    for (String pid : lines.subList(0, 2)) {
      assertThat(gone(Long.parseLong(pid))).as("child process %s", pid).isTrue();
    }
  }

  @Test
  void aCommandThatIgnoresTheRequestToTerminateIsKilled() throws Exception {
    Command command = Command.builder("sh", "-c",
            "trap '' TERM; echo $$; while :; do sleep 1; done")
        .timeout(Duration.ofMillis(500)).build();

    long start = System.nanoTime();
    CommandResult result = command.run();

    assertThat(result.timedOut()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(gone(Long.parseLong(result.output().lines().findFirst().orElseThrow()))).isTrue();
  }

  @Test
  void anInterruptEndsTheCommandWithEveryProcessItStarted() throws Exception {
    Thread caller = Thread.currentThread();
    List<String> pids = new CopyOnWriteArrayList<>();
    Command command = Command.builder("sh", "-c", "sleep 60 & echo $!; wait")
        .timeout(Duration.ofMinutes(1))
        .onOutputLine(pid -> {
          pids.add(pid);
          caller.interrupt(); // the child is running: interrupt the thread waiting for it
        }).build();
    try {
      assertThatThrownBy(command::run).isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
    assertThat(pids).hasSize(1);
    assertThat(gone(Long.parseLong(pids.get(0)))).isTrue();
  }

  @Test
  void aProgramThatCannotStartIsAnIOException() {
    assertThatThrownBy(() -> Command.builder("no-such-program-here").build().run())
        .isInstanceOf(IOException.class).hasMessageContaining("no-such-program-here");
  }

  @Test
  void inheritedOutputIsNotCaptured() throws Exception {
    CommandResult result = Command.builder("sh", "-c", "echo to the console")
        .inheritOutput().build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output()).isEmpty();
  }

  @Test
  void theBuilderRefusesBadValues() {
    assertThatThrownBy(() -> Command.builder()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Command.builder(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Command.builder("x").timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Command.builder("x").outputLimit(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Command.builder("x").variable("A=B", "c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Command.builder("x", null)).isInstanceOf(NullPointerException.class);
  }

  /**
   * Whether process {@code pid} ended within 10 s. A process that ended but was not yet reaped by
   * its new parent (a zombie) counts as ended.
   */
  private static boolean gone(long pid) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || zombie(pid)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static boolean zombie(long pid) {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return false; // no /proc to ask: only isAlive() decides
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true; // no such process any more
    }
  }
}
