package dev.updater.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module descriptors hold at run time, not only at compile time: a small host application
 * that is itself a module ({@code requires dev.updater.core} and nothing else) is compiled and run
 * on the module path with updater-core and its dependencies. It finds a source through the
 * provider registry, installs, updates and rolls back (the journal and history are written by
 * reflection), and checks a minisign signature. The other tests run on the class path.
 */
class ModulePathTest {
  @TempDir Path tmp;

  @Test
  void aModularHostInstallsUpdatesAndRollsBackOnTheModulePath() throws Exception {
    String modulePath = modulePath();
    Path classes = compileSmokeModule(modulePath);

    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(),
        "--module-path", modulePath + File.pathSeparator + classes,
        "--module", "smoke/smoke.Main", tmp.resolve("work").toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("installed Updated[from=Optional.empty, to=1.0.0] 1.0.0")
        .contains("updated Updated[from=Optional[1.0.0], to=1.1.0] 1.1.0")
        .contains("rolled back")
        .contains("verified smoke");
    assertThat(output.lines().filter(l -> l.startsWith("rolled back")).findFirst().orElseThrow())
        .endsWith(" 1.0.0");
  }

  /** updater-core and its dependencies: the test class path less the test tooling. */
  private static String modulePath() {
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    return Stream.of(classPath.split(File.pathSeparator))
        .filter(entry -> !entry.contains("build-checks"))
        .filter(entry -> !entry.matches(".*(junit|opentest4j|apiguardian|assertj|byte-buddy"
            + "|surefire).*"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private Path compileSmokeModule(String modulePath) throws IOException {
    Path sources = tmp.resolve("src");
    Path out = Files.createDirectories(tmp.resolve("classes"));
    List<String> files = new ArrayList<>();
    for (String name : List.of("module-info.java", "smoke/Main.java")) {
      Path file = sources.resolve(name);
      Files.createDirectories(file.getParent());
      try (var in = ModulePathTest.class.getResourceAsStream("/modulepath/smoke/" + name)) {
        Files.write(file, in.readAllBytes());
      }
      files.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("--module-path", modulePath, "-d",
        out.toString()));
    args.addAll(files);
    int status = javac.run(null, null, null, args.toArray(String[]::new));
    assertThat(status).as("javac of the modular host").isZero();
    return out;
  }
}
