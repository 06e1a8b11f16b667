package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static dev.updater.cli.CliHarness.live;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.updater.cli.CliHarness.Result;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel index signed with the real {@code minisign} tool (Debian package {@code minisign},
 * installed by {@code .ci/run}) is accepted by check and install, in both of its signature modes:
 * legacy Ed25519 ({@code Ed}) and prehashed BLAKE2b-512 ({@code ED}). Re-signed with another key,
 * it is refused. Skipped only when no {@code minisign} is on the PATH.
 */
class MinisignToolTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path minisign;
  Path repo;
  Path home;
  Path index;

  static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  @BeforeEach
  void publishUnsignedAndMakeMinisignKeys() throws Exception {
    Optional<Path> tool = onPath("minisign");
    assumeTrue(tool.isPresent(), "minisign is not installed on this machine (no minisign on the "
        + "PATH); install it with 'apt-get install -y minisign' (.ci/run does) to run this test");
    minisign = tool.get();
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    index = repo.resolve("channels/stable.json");
    for (String v : new String[] {"1.0.0", "1.1.0"}) {
      Result r = cli.run("publish", "--repo", repo, "--version", v,
          artifact(tmp.resolve("build"), "app-" + v + ".zip", v));
      assertThat(r.code()).as("%s", r).isZero();
    }
    keygen("vendor");
    keygen("other");
  }

  /** Runs minisign with no terminal and no input (so it never waits for a password). */
  String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(minisign.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("minisign %s ended", args).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("minisign " + String.join(" ", args) + " failed (exit "
          + p.exitValue() + "): " + output);
    }
    return output;
  }

  void keygen(String name) throws Exception {
    run("-G", "-W", "-p", name + ".pub", "-s", name + ".key");
  }

  /**
   * Signs the index with {@code key} in the mode asked for: {@code Ed} (legacy, {@code -l} in
   * minisign 0.10 and later, the default before) or {@code ED} (prehashed, the default from 0.10,
   * {@code -H} before). Returns the algorithm the signature file names.
   */
  String sign(String key, String algorithm) throws Exception {
    List<List<String>> attempts = algorithm.equals("Ed")
        ? List.of(List.of("-l"), List.of()) : List.of(List.of(), List.of("-H"));
    String failures = "";
    for (List<String> mode : attempts) {
      List<String> args = new ArrayList<>(List.of("-S", "-s", key + ".key", "-m",
          index.toString(), "-x", index + ".minisig", "-t", "channel stable, signed by minisign"));
      args.addAll(mode);
      try {
        run(args.toArray(String[]::new));
      } catch (IOException unsupportedFlag) {
        failures += "\n" + unsupportedFlag.getMessage();
        continue;
      }
      if (algorithmOf(index.resolveSibling("stable.json.minisig")).equals(algorithm)) {
        return algorithm;
      }
    }
    throw new AssertionError("this minisign cannot make an '" + algorithm + "' signature"
        + failures);
  }

  static String algorithmOf(Path signature) throws IOException {
    String line = Files.readAllLines(signature, UTF_8).get(1);
    return new String(Base64.getDecoder().decode(line), 0, 2, UTF_8);
  }

  void acceptedByCheckAndInstall() {
    Result check = cli.run("check", "--home", home, "--source", repo,
        "--trust", tmp.resolve("vendor.pub"));
    assertThat(check.code()).as("%s", check).isZero();
    assertThat(check.out()).contains("available: 1.1.0");
    Result install = cli.run("install", "--home", home, "--source", repo,
        "--trust", tmp.resolve("vendor.pub"));
    assertThat(install.code()).as("%s", install).isZero();
    try {
      assertThat(live(home)).isEqualTo("1.1.0");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void shouldAcceptALegacyEd25519SignatureByTheTrustedKey() throws Exception {
    assertThat(sign("vendor", "Ed")).isEqualTo("Ed");

    acceptedByCheckAndInstall();
  }

  @Test
  void shouldAcceptAPrehashedSignatureByTheTrustedKey() throws Exception {
    assertThat(sign("vendor", "ED")).isEqualTo("ED");

    acceptedByCheckAndInstall();
  }

  @Test
  void shouldRefuseTheIndexReSignedWithAnotherKey() throws Exception {
    sign("vendor", "ED");
    assertThat(cli.run("check", "--home", home, "--source", repo,
        "--trust", tmp.resolve("vendor.pub")).code()).isZero();

    sign("other", "ED");

    Result check = cli.run("check", "--home", home, "--source", repo,
        "--trust", tmp.resolve("vendor.pub"));
    assertThat(check.code()).as("%s", check).isEqualTo(Exit.VERIFICATION);
    assertThat(check.err()).contains("VERIFICATION_FAILED");
    Result install = cli.run("install", "--home", home, "--source", repo,
        "--trust", tmp.resolve("vendor.pub"));
    assertThat(install.code()).as("%s", install).isEqualTo(Exit.VERIFICATION);
    assertThat(home.resolve("current")).doesNotExist();
  }

  @Test
  void shouldRefuseALegacySignatureByAnotherKey() throws Exception {
    sign("other", "Ed");

    Result install = cli.run("install", "--home", home, "--source", repo,
        "--trust", tmp.resolve("vendor.pub"));

    assertThat(install.code()).as("%s", install).isEqualTo(Exit.VERIFICATION);
    assertThat(home.resolve("current")).doesNotExist();
  }

  @Test
  void shouldAcceptTheMinisignKeyBesideAnUpdaterKeyDuringARotation() throws Exception {
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    sign("vendor", "ED");

    Result install = cli.run("install", "--home", home, "--source", repo,
        "--trust", tmp.resolve("keys/updater.pub"), "--trust", tmp.resolve("vendor.pub"));

    assertThat(install.code()).as("%s", install).isZero();
    assertThat(live(home)).isEqualTo("1.1.0");
  }
}
