package dev.updater.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish} of a plain file, {@code install --layout single-file --target FILE} and {@code
 * rollback --home DIR} on it, with real files and the installed file run as a program.
 */
class SingleFileCliTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path home;
  Path target;
  Path pub;

  @BeforeEach
  void publishTwoBinaries() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    target = Files.createDirectories(tmp.resolve("bin")).resolve("myapp");
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    pub = tmp.resolve("keys/updater.pub");
    for (String v : new String[] {"1.0.0", "1.1.0"}) {
      Path file = Files.createDirectories(tmp.resolve("build")).resolve("myapp-linux-" + v);
      Files.writeString(file, "#!/bin/sh\necho myapp " + v + "\n");
      Result r = cli.run("publish", "--repo", repo, "--version", v, "--key",
          tmp.resolve("keys/updater.key"), file);
      assertThat(r.code()).as("%s", r).isZero();
      assertThat(r.out()).contains("is a plain file, not an archive");
    }
  }

  Result install(Object... extra) {
    Object[] base = {"install", "--home", home, "--source", repo, "--trust", pub};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli.run(all);
  }

  private String runTarget() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(target.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), UTF_8).strip();
  }

  @Test
  void shouldInstallThePlainFileAtTheTargetKeepThePreviousAsBakAndRollBack() throws Exception {
    Result first = install("--version", "1.0.0", "--layout", "single-file", "--target", target);
    assertThat(first.code()).as("%s", first).isZero();
    assertThat(runTarget()).isEqualTo("myapp 1.0.0");

    Result second = install(); // the home remembers its layout and target
    assertThat(second.code()).as("%s", second).isZero();
    assertThat(second.out()).contains("installed 1.1.0 (was 1.0.0)");
    assertThat(runTarget()).isEqualTo("myapp 1.1.0");
    assertThat(target.resolveSibling("myapp.bak")).hasContent("#!/bin/sh\necho myapp 1.0.0");
    assertThat(cli.run("status", "--home", home).out()).contains("1.1.0");
    Result doctor = cli.run("doctor", "--home", home);
    assertThat(doctor.out()).as("%s", doctor)
        .contains("OK   layout: the single file " + target + " names release 1.1.0")
        .doesNotContain("'current'");

    Result back = cli.run("rollback", "--home", home);
    assertThat(back.code()).as("%s", back).isZero();
    assertThat(back.out()).contains("rolled back from 1.1.0 to 1.0.0");
    assertThat(runTarget()).isEqualTo("myapp 1.0.0");
    assertThat(target.resolveSibling("myapp.bak")).hasContent("#!/bin/sh\necho myapp 1.1.0");
  }

  @Test
  void shouldRefuseBadLayoutOptionsWithNothingChanged() throws IOException {
    Result noTarget = install("--layout", "single-file");
    Result unknown = install("--layout", "zip", "--target", target);
    Result targetWithSymlinks = install("--target", target);
    Result shared = install("--layout", "single-file", "--target", target, "--shared", "data");

    assertThat(noTarget.code()).isEqualTo(Exit.USAGE);
    assertThat(noTarget.err()).contains("--layout single-file needs --target FILE");
    assertThat(unknown.code()).isEqualTo(Exit.USAGE);
    assertThat(unknown.err()).contains("--layout zip is not a layout", "symlink, pointer or single-file");
    assertThat(targetWithSymlinks.code()).isEqualTo(Exit.USAGE);
    assertThat(targetWithSymlinks.err()).contains("--target is for --layout single-file");
    assertThat(shared.code()).isEqualTo(Exit.USAGE);
    assertThat(shared.err()).contains("single-file layout has none");
    assertThat(home).doesNotExist();
    assertThat(target).doesNotExist();
  }

  @Test
  void shouldRefuseATargetWhoseDirectoryIsMissingWithNothingInstalled() throws IOException {
    Path missing = tmp.resolve("nowhere/myapp");

    Result r = install("--layout", "single-file", "--target", missing);

    assertThat(r.code()).as("%s", r).isNotZero();
    assertThat(r.err()).contains("INVALID_LAYOUT", "does not exist");
    assertThat(tmp.resolve("nowhere")).doesNotExist();
    assertThat(home.resolve("releases")).doesNotExist();
  }

  @Test
  void shouldRefuseToInstallAPlainFileIntoASymlinkHome() throws IOException {
    Result r = install("--version", "1.0.0");

    assertThat(r.code()).as("%s", r).isNotZero();
    assertThat(r.err()).contains("ARCHIVE_REJECTED");
    assertThat(home.resolve("current")).doesNotExist();
  }
}
