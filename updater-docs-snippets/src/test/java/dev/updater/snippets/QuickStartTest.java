package dev.updater.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.myapp.MyApp;
import dev.updater.cli.Main;
import dev.updater.testkit.ReleaseArchives;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows docs/quickstart.md as a new user would, on the real disk and over HTTP on 127.0.0.1:
 * keygen, publish 1.0.0, serve, the first install, publish 1.1.0, the application (the page's
 * {@code MyApp}, from a jar whose manifest carries its version) updating itself, its restart into
 * 1.1.0 confirming it, a rollback, and the quarantine that keeps 1.1.0 from coming back.
 *
 * <p>The commands run through the CLI's {@code Main.run}, {@code updater serve} and the
 * application in child JVMs. This test plays the supervisor (systemd's {@code Restart=on-failure})
 * that starts the application again when it exits with code 75. The release archives hold the
 * application's jar and start script; the library's jars come from this build's class path.
 */
class QuickStartTest {

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  @Timeout(180)
  void aNewUserPublishesInstallsUpdatesConfirmsAndRollsBack() throws Exception {
    Path keys = dir.resolve("keys");
    Path repo = dir.resolve("srv/updates/myapp");
    Path home = dir.resolve("opt/myapp");
    assertThat(cli("keygen", "--out", keys.toString())).contains("updater.pub");
    cli("publish", "--repo", repo.toString(), "--key", keys.resolve("updater.key").toString(),
        "--version", "1.0.0", "--artifact", release("1.0.0").toString());

    Process serve = start(List.of("dev.updater.cli.Main", "serve", "--repo", repo.toString(),
        "--port", "0"), classPath(), dir.resolve("serve.log"));
    String source = lineContaining(serve, "--source ").replaceFirst(".*--source ", "").strip();
    assertThat(source).startsWith("http://127.0.0.1:");

    Files.createDirectories(home);
    Files.copy(keys.resolve("updater.pub"), home.resolve("updates.pub"));
    assertThat(cli("install", "--home", home.toString(), "--source", source,
        "--trust", home.resolve("updates.pub").toString(), "--shared", "data"))
        .contains("installed 1.0.0");
    assertThat(Files.readSymbolicLink(home.resolve("current"))).hasToString("releases/1.0.0");

    cli("publish", "--repo", repo.toString(), "--key", keys.resolve("updater.key").toString(),
        "--version", "1.1.0", "--artifact", release("1.1.0").toString());
    int port = freePort();
    Process first = app(home, source, port);
    assertThat(lineContaining(first, "myapp ")).isEqualTo("myapp 1.0.0 started; updates: COMPLETE");
    assertThat(first.waitFor()).as("the restarter ends the process with 75").isEqualTo(75);
    assertThat(Files.readSymbolicLink(home.resolve("current"))).hasToString("releases/1.1.0");
    assertThat(cli("status", "--home", home.toString())).contains("awaiting_confirmation");

    Process second = app(home, source, port);   // the supervisor starts the new release
    assertThat(lineContaining(second, "myapp "))
        .isEqualTo("myapp 1.1.0 started; updates: COMPLETE");
    assertThat(cli("status", "--home", home.toString()))
        .contains("installed: 1.1.0").contains("previous:  1.0.0").contains("state:     complete");

    assertThat(cli("rollback", "--home", home.toString())).contains("1.0.0");
    assertThat(Files.readSymbolicLink(home.resolve("current"))).hasToString("releases/1.0.0");
    second.destroy();
    second.waitFor();
    Process third = app(home, source, port);    // the operator restarts the service
    assertThat(lineContaining(third, "myapp ")).startsWith("myapp 1.0.0 started");
    assertThat(cli("status", "--home", home.toString())).contains("installed: 1.0.0")
        .contains("quarantined: 1.1.0");
  }

  /** The release archive of docs/quickstart.md: bin/myapp and lib/myapp.jar. */
  private Path release(String version) throws IOException {
    Path file = dir.resolve("build/myapp-" + version + ".tar.gz");
    Files.createDirectories(file.getParent());
    Files.write(file, ReleaseArchives.builder()
        .executable("bin/myapp", "#!/bin/sh\n"
            + "exec java $JAVA_OPTS -cp \"$(dirname \"$0\")/../lib/*\" com.example.myapp.MyApp"
            + " \"$@\"\n")
        .file("lib/myapp.jar", appJar(version))
        .tarGz());
    return file;
  }

  /** MyApp's classes in a jar whose manifest says the version, as Maven's jar plugin writes it. */
  private static byte[] appJar(String version) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    Path classes =
        Path.of(MyApp.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes, manifest);
        Stream<Path> files = Files.list(classes.resolve("com/example/myapp"))) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("MyApp")).toList()) {
        jar.putNextEntry(new JarEntry("com/example/myapp/" + f.getFileName()));
        Files.copy(f, jar);
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private Process app(Path home, String source, int port) throws IOException {
    String classPath = home.resolve("current/lib/myapp.jar") + File.pathSeparator + classPath();
    return start(List.of("-Dmyapp.home=" + home, "-Dmyapp.updates=" + source,
        "-Dmyapp.port=" + port, "com.example.myapp.MyApp"), classPath,
        dir.resolve("app-" + processes.size() + ".log"));
  }

  private Process start(List<String> args, String classPath, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", classPath));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    processes.add(p);
    return p;
  }

  /** This build's class path without this module's test classes, so MyApp comes from the jar. */
  private static String classPath() {
    String own = Path.of(MyApp.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .toString();
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Path.of(e).toString().equals(own))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * Reads the process's output until a line holds {@code text}, then goes on reading the rest in
   * the background so that the process never blocks on a full pipe; fails at the end of it.
   */
  private static String lineContaining(Process p, String text) throws IOException {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.contains(text)) {
        Thread drain = new Thread(() -> {
          try {
            out.transferTo(java.io.Writer.nullWriter());
          } catch (IOException e) {
            // the process ended
          }
        });
        drain.setDaemon(true);
        drain.start();
        return line;
      }
    }
    throw new AssertionError("the process ended without printing '" + text + "'");
  }

  private static String cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("updater %s%n%s%s", String.join(" ", args), text,
        err.toString(StandardCharsets.UTF_8)).isZero();
    return text;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
