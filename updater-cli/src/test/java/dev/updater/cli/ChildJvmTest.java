package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as an operator runs it: a separate JVM ({@code java -cp ... dev.updater.cli.Main}),
 * its real exit code (through {@code System.exit}) and its output streams.
 */
class ChildJvmTest {
  @TempDir Path tmp;

  record Child(int code, String out, String err) {}

  Child updater(Object... args) throws IOException, InterruptedException {
    return updater(Map.of(), args);
  }

  Child updater(Map<String, String> environment, Object... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    for (Object a : args) {
      command.add(String.valueOf(a));
    }
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().remove(KeyPasswords.VARIABLE);
    builder.environment().putAll(environment);
    Process p = builder.start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
      return new Child(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void keygenPublishAndInstallInAChildJvm() throws Exception {
    Child keygen = updater("keygen", "--out", tmp.resolve("keys"));
    assertThat(keygen.code()).as("%s", keygen).isZero();
    Child publish = updater("publish", "--repo", tmp.resolve("repo"), "--version", "1.0.0",
        "--key", tmp.resolve("keys/updater.key"),
        artifact(tmp.resolve("build"), "app-1.0.0.zip", "1.0.0"));
    assertThat(publish.code()).as("%s", publish).isZero();

    Child install = updater("install", "--home", tmp.resolve("home"), "--source",
        tmp.resolve("repo"), "--trust", tmp.resolve("keys/updater.pub"));
    assertThat(install.code()).as("%s", install).isZero();
    assertThat(install.out()).isEqualTo("installed 1.0.0 (first install)\n");
    assertThat(install.err()).contains("[downloading] download 1.0.0", "[complete] 1.0.0")
        .as("no logging noise on stderr").doesNotContain("SLF4J", "[WARN]", "[INFO]");
    assertThat(tmp.resolve("home/current/VERSION")).hasContent("1.0.0");
  }

  @Test
  void aUsageErrorExitsWithTwo() throws Exception {
    Child c = updater("install", "--home", tmp.resolve("home"), "--no-such-flag");
    assertThat(c.code()).isEqualTo(Exit.USAGE);
    assertThat(c.err()).contains("unknown option --no-such-flag", "usage: updater install");
    assertThat(c.out()).isEmpty();
  }

  @Test
  void aRefusalExitsWithThree() throws Exception {
    assertThat(updater("keygen", "--out", tmp.resolve("keys")).code()).isZero();
    Child again = updater("keygen", "--out", tmp.resolve("keys"));
    assertThat(again.code()).isEqualTo(Exit.REFUSED);
    assertThat(again.err()).contains("already exists");
  }

  @Test
  void anEncryptedKeySignsOnlyWithItsPasswordFromTheEnvironment() throws Exception {
    Map<String, String> password = Map.of(KeyPasswords.VARIABLE, "s3cret pass");
    Child keygen = updater(password, "keygen", "--out", tmp.resolve("keys"));
    assertThat(keygen.code()).as("%s", keygen).isZero();
    assertThat(keygen.out()).contains("encrypted with the password").doesNotContain("s3cret");
    Path key = tmp.resolve("keys/updater.key");
    assertThat(Files.readString(key)).startsWith("untrusted comment: minisign encrypted");
    Path zip = CliHarness.artifact(tmp.resolve("build"), "app-1.0.0.zip", "1.0.0");
    Path repo = tmp.resolve("repo");

    Child without = updater("publish", "--repo", repo, "--version", "1.0.0", "--key", key, zip);
    assertThat(without.code()).isEqualTo(Exit.USAGE);
    assertThat(without.err()).contains("is encrypted", KeyPasswords.VARIABLE);
    Child wrong = updater(Map.of(KeyPasswords.VARIABLE, "guess"), "publish", "--repo", repo,
        "--version", "1.0.0", "--key", key, zip);
    assertThat(wrong.code()).isEqualTo(Exit.USAGE);
    assertThat(wrong.err()).contains("the password is wrong", KeyPasswords.VARIABLE)
        .doesNotContain("guess");
    assertThat(repo).as("nothing published by a refused key").doesNotExist();

    Child publish = updater(password, "publish", "--repo", repo, "--version", "1.0.0",
        "--key", key, zip);
    assertThat(publish.code()).as("%s", publish).isZero();
    Child install = updater("install", "--home", tmp.resolve("home"), "--source", repo,
        "--trust", tmp.resolve("keys/updater.pub"));
    assertThat(install.code()).as("%s", install).isZero();
    assertThat(tmp.resolve("home/current/VERSION")).hasContent("1.0.0");
  }
}
