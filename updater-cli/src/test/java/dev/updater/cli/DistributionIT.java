package dev.updater.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The downloadable command as a user gets it: the build's {@code updater-<version>.tar.gz}
 * unpacked with {@code tar} into a fresh directory, and {@code bin/updater} run as a process:
 * its version, help, completion scripts and manual page, and a whole publish, install, update and
 * rollback cycle, with the library's log lines on standard error only when asked.
 */
class DistributionIT {
  private static final String VERSION = System.getProperty("project.version");

  @TempDir Path tmp;
  Path updater;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("distribution.archive"));
    assertThat(archive).as("the build made the distribution archive").isRegularFile();
    Run tar = exec(List.of("tar", "-xzf", archive.toString(), "-C", tmp.toString()));
    assertThat(tar.code()).as("%s", tar).isZero();
    Path base = tmp.resolve("updater-" + VERSION);
    updater = base.resolve("bin/updater");
    assertThat(Files.isExecutable(updater)).as("bin/updater is executable").isTrue();
  }

  @Test
  void unpackedAnywhereItPrintsItsVersionHelpCompletionsAndManualPage() throws Exception {
    Path base = updater.getParent().getParent();
    assertThat(base.resolve("LICENSE")).content().contains("Apache License");
    try (var lib = Files.list(base.resolve("lib"))) {
      assertThat(lib.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("updater-cli-")).anyMatch(n -> n.startsWith("updater-core-"))
          .anyMatch(n -> n.startsWith("slf4j-simple-"));
    }

    Run version = updater("--version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("updater " + VERSION + " (Java ");

    Run help = updater("--help");
    assertThat(help.out()).contains("publish", "install", "rollback", "--verbose", "--quiet");

    Path bash = base.resolve("share/bash-completion/completions/updater");
    assertThat(bash).content().contains("complete -o default -F _updater updater", "--shared");
    assertThat(exec(List.of("bash", "-n", bash.toString())).code()).as("valid bash").isZero();
    assertThat(base.resolve("share/zsh/site-functions/_updater")).content()
        .startsWith("#compdef updater");
    assertThat(updater("completion", "bash").out()).isEqualTo(Files.readString(bash, UTF_8));
    assertThat(base.resolve("share/man/man1/updater.1")).content()
        .startsWith(".TH UPDATER 1").contains(".SS publish", ".SH EXIT STATUS");
  }

  @Test
  void aWholeCycleRunsFromTheUnpackedCommand() throws Exception {
    Path repo = tmp.resolve("repo");
    Path home = tmp.resolve("home");
    Path keys = tmp.resolve("keys");
    assertThat(updater("keygen", "--out", keys.toString()).code()).isZero();
    for (String v : List.of("1.0.0", "1.1.0")) {
      Path zip = CliHarness.artifact(tmp.resolve("build"), "app-" + v + ".zip", v);
      Run publish = updater("publish", "--repo", repo.toString(), "--version", v,
          "--key", keys.resolve("updater.key").toString(), zip.toString());
      assertThat(publish.code()).as("%s", publish).isZero();
    }
    String trust = keys.resolve("updater.pub").toString();

    Run first = updater("install", "--home", home.toString(), "--source", repo.toString(),
        "--trust", trust, "--version", "1.0.0");
    assertThat(first.code()).as("%s", first).isZero();
    assertThat(CliHarness.live(home)).isEqualTo("1.0.0");

    Run update = updater("--verbose", "install", "--home", home.toString(), "--source",
        repo.toString(), "--trust", trust);
    assertThat(update.code()).as("%s", update).isZero();
    assertThat(CliHarness.live(home)).isEqualTo("1.1.0");
    assertThat(update.out()).as("standard output holds the result alone")
        .doesNotContain("[INFO]", "[DEBUG]", "[downloading]").contains("1.1.0");
    assertThat(update.err()).as("--verbose shows the library's log lines")
        .contains("[INFO] ").contains("[downloading]");

    Run rollback = updater("--quiet", "rollback", "--home", home.toString());
    assertThat(rollback.code()).as("%s", rollback).isZero();
    assertThat(CliHarness.live(home)).isEqualTo("1.0.0");
    assertThat(rollback.err()).as("--quiet prints no step lines").doesNotContain("[");
  }

  private Run updater(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(updater.toString()));
    command.addAll(List.of(args));
    return exec(command);
  }

  private Run exec(List<String> command) throws Exception {
    Path err = Files.createTempFile(tmp, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Run(p.exitValue(), out, Files.readString(err, UTF_8));
  }
}
