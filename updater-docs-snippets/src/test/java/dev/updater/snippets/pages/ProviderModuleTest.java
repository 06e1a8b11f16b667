package dev.updater.snippets.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.Updater;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example of docs/spi.md compiles as a named module: its {@code module-info.java}
 * (kept under src/test/modules, since a test source tree cannot hold a module descriptor) and its
 * provider class, against updater-core and its dependencies on the module path.
 */
class ProviderModuleTest {

  private static final Path SOURCES =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize()
          .resolve("updater-docs-snippets/src/test");

  @TempDir Path dir;

  @Test
  void theUsbProviderCompilesAsTheModuleThePageDeclares() throws Exception {
    Path module = dir.resolve("src/com.example.updates");
    Files.createDirectories(module.resolve("com/example/updates"));
    Files.copy(SOURCES.resolve("modules/com.example.updates/module-info.java"),
        module.resolve("module-info.java"));
    Files.copy(SOURCES.resolve("java/com/example/updates/UsbStickSourceProvider.java"),
        module.resolve("com/example/updates/UsbStickSourceProvider.java"));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();

    int code = ToolProvider.getSystemJavaCompiler().run(null, null,
        new PrintStream(errors, true, StandardCharsets.UTF_8),
        "-d", dir.resolve("out").toString(),
        "--module-path", modulePath(),
        "--module-source-path", dir.resolve("src").toString(),
        "--module", "com.example.updates");

    assertThat(errors.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isZero();
    assertThat(dir.resolve("out/com.example.updates/module-info.class")).exists();
  }

  /** updater-core and the jars it requires, from this test's class path. */
  private static String modulePath() throws Exception {
    Path core = Path.of(Updater.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> needed = List.of("slf4j-api", "jackson-databind", "jackson-core",
        "jackson-annotations", "commons-compress", "commons-io", "commons-codec",
        "commons-lang3", "failsafe", "bcprov");
    Stream<String> jars = Arrays.stream(
        System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> needed.stream().anyMatch(n -> Path.of(p).getFileName().toString()
            .startsWith(n + "-")));
    return Stream.concat(Stream.of(core.toString()), jars)
        .collect(Collectors.joining(File.pathSeparator));
  }
}
