package dev.updater.maven;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs real Maven builds of the sample project the invoker built ({@code target/it/...}), with
 * the Maven that runs this build, offline against {@code target/local-repo} (where the invoker
 * installed the plugin and the sample's plugins), and lists a directory tree with hashes.
 */
final class SampleBuilds {
  /** The output and exit code of one build. */
  record Build(int exitCode, String log) {}

  private SampleBuilds() {}

  /** The sample project the invoker ran, as it left it. */
  static Path invoked(String name) {
    return Path.of(System.getProperty("it.dir")).resolve(name);
  }

  /** Copies the sample's POM and sources (not its outputs) into {@code dir}. */
  static Path copySources(Path sample, Path dir) throws IOException {
    Files.copy(sample.resolve("pom.xml"), Files.createDirectories(dir).resolve("pom.xml"));
    try (Stream<Path> files = Files.walk(sample.resolve("src"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = dir.resolve(sample.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return dir;
  }

  /** The goal {@code goal} of this plugin, fully qualified. */
  static String goal(String goal) {
    return "dev.updater:updater-maven-plugin:" + System.getProperty("it.pluginVersion") + ":"
        + goal;
  }

  /** Runs {@code mvn -B -o ... args} in {@code project}; waits for it to end. */
  static Build mvn(Path project, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path mavenHome = Path.of(System.getProperty("maven.home"));
    List<String> command = new ArrayList<>(List.of(mavenHome.resolve("bin/mvn").toString(),
        "-B", "-o", "-s", settings(project).toString(),
        "-Dmaven.repo.local=" + System.getProperty("it.localRepo")));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(project, "build", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("MAVEN_"));
    // Short builds: the JIT's first tier starts Maven faster.
    pb.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1");
    pb.environment().putAll(env);
    Process process = pb.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the build in " + project + " ran over 5 minutes");
    }
    String text = Files.readString(log, UTF_8);
    Files.delete(log);
    return new Build(process.exitValue(), text);
  }

  /**
   * The invoker's settings, with the outer build's local repository as the repository (as the
   * invoker fills it in), so that what the invoker's builds fetched counts as fetched from there.
   */
  private static Path settings(Path project) throws IOException {
    String text = Files.readString(Path.of(System.getProperty("it.settings")), UTF_8)
        .replace("@localRepositoryUrl@", Path.of(System.getProperty("it.outerRepo")).toUri()
            .toString());
    Path file = project.resolveSibling(project.getFileName() + "-settings.xml");
    Files.writeString(file, text, UTF_8);
    return file;
  }

  /** Every file under {@code root} with its SHA-256, by relative path. */
  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        files.put(root.relativize(file).toString(), sha256(file));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        files.put(root.relativize(dir) + "/", "");
        return FileVisitResult.CONTINUE;
      }
    });
    return files;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) != -1; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
