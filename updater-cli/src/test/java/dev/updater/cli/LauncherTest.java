package dev.updater.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./updater} launcher at the repository root: valid bash, executable, and running the
 * jar the shade plugin writes. (Building and running the jar itself happens after the test phase;
 * {@code docs/cli.md} shows how it is used.)
 */
class LauncherTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path LAUNCHER = ROOT.resolve("updater");

  @Test
  void shouldBeValidBashAndExecutable() throws IOException, InterruptedException {
    assertThat(Files.isExecutable(LAUNCHER)).as("%s is executable", LAUNCHER).isTrue();
    Process p = new ProcessBuilder("bash", "-n", LAUNCHER.toString()).redirectErrorStream(true)
        .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
  }

  @Test
  void shouldRunTheJarThePomBuilds() throws IOException {
    String script = Files.readString(LAUNCHER, UTF_8);
    String pom = Files.readString(ROOT.resolve("updater-cli/pom.xml"), UTF_8);
    assertThat(pom).contains("<outputFile>${project.build.directory}/updater.jar</outputFile>",
        "<mainClass>dev.updater.cli.Main</mainClass>");
    assertThat(script).contains("jar=\"$root/updater-cli/target/updater.jar\"",
        "mvn -q -B -DskipTests -pl updater-cli -am package", "exec java", "-jar \"$jar\" \"$@\"");
  }
}
