package dev.updater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code install --layout pointer}: the live release named in {@code HOME/current.txt}. */
class PointerLayoutCliTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();

  @Test
  void shouldSwitchThePointerFileAndRollItBackWithoutSymbolicLinks() throws IOException {
    Path repo = tmp.resolve("repo");
    Path home = tmp.resolve("home");
    Path pub = cli.publishSigned(tmp, repo, "1.0.0", "1.1.0");

    Result first = cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--version", "1.0.0", "--layout", "pointer");
    Result second = cli.run("install", "--home", home); // layout and source remembered

    assertThat(first.code()).as("%s", first).isZero();
    assertThat(second.code()).as("%s", second).isZero();
    assertThat(home.resolve("current.txt")).hasContent("1.1.0");
    assertThat(home.resolve("current")).doesNotExist();
    assertThat(cli.run("status", "--home", home).out()).contains("1.1.0");
    Result doctor = cli.run("doctor", "--home", home);
    assertThat(doctor.out()).as("%s", doctor)
        .contains("OK   layout: the pointer file " + home.resolve("current.txt")
            + " names release 1.1.0")
        .doesNotContain("'current'");

    Result back = cli.run("rollback", "--home", home);
    assertThat(back.code()).as("%s", back).isZero();
    assertThat(home.resolve("current.txt")).hasContent("1.0.0");
  }

  @Test
  void shouldRefuseSharedPathsWithThePointerLayoutWithNothingChanged() throws IOException {
    Path repo = tmp.resolve("repo");
    Path home = tmp.resolve("home");
    Path pub = cli.publishSigned(tmp, repo, "1.0.0");

    Result r = cli.run("install", "--home", home, "--source", repo, "--trust", pub,
        "--layout", "pointer", "--shared", "data");

    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains("--shared links paths into releases");
    assertThat(Files.exists(home)).isFalse();
  }
}
