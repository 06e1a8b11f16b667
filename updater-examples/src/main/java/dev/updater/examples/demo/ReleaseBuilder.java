package dev.updater.examples.demo;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Builds release archives of the example application from its compiled classes and runtime
 * class path: {@code <name>-<version>.tar.gz} holding
 * <pre>
 * release.properties      version=..., health.query=...
 * bin/start               the start script (0755): java -cp "lib/*" ...ExampleApp
 * lib/*.jar               the application jar and its dependencies
 * migrations/V1__... .sql the SQL migrations the release ships
 * </pre>
 *
 * <pre>{@code
 * Path archive = ReleaseBuilder.fromBuild().build(dir, "1.1.0", 2, "SELECT COUNT(*) FROM orders");
 * }</pre>
 *
 * <p>Used by the demo, its tests and the benchmark's downtime figure. Not thread-safe.
 */
public final class ReleaseBuilder {
  static final String MAIN_CLASS = "dev.updater.examples.app.ExampleApp";
  private static final String MIGRATIONS = "/dev/updater/examples/app/migrations/";

  private final List<Path> classpath;
  private byte[] appJar;

  /** A builder whose releases carry the jars (or directories, jarred) of {@code classpath}. */
  ReleaseBuilder(List<Path> classpath) {
    this.classpath = List.copyOf(classpath);
  }

  /**
   * A builder for the class path of the example application as Maven wrote it next to the compiled
   * classes ({@code target/app.classpath}), or as the system property {@code demo.appClasspath}
   * names; the application's own classes are the ones this class was loaded from.
   */
  public static ReleaseBuilder fromBuild() throws IOException {
    Path classes = codeSource();
    Path file = Path.of(System.getProperty("demo.appClasspath",
        classes.getParent().resolve("app.classpath").toString()));
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " is missing: build the examples module first "
          + "(mvn -pl updater-examples -am package), which writes it");
    }
    List<Path> entries = new ArrayList<>();
    entries.add(classes);
    for (String entry : Files.readString(file).strip().split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(Path.of(entry));
      }
    }
    return new ReleaseBuilder(entries);
  }

  /**
   * Writes the release {@code version} into {@code dir} and returns the archive.
   *
   * @param migrations how many of the shipped migrations it carries (1: V1, 2: V1 and V2)
   * @param healthQuery the SQL its health endpoint runs
   */
  public Path build(Path dir, String version, int migrations, String healthQuery)
      throws IOException {
    Path archive = Files.createDirectories(dir).resolve("example-app-" + version + ".tar.gz");
    GzipParameters gzip = new GzipParameters();
    // The jars are compressed already: deflating them again costs seconds and saves nothing.
    gzip.setCompressionLevel(Deflater.NO_COMPRESSION);
    try (OutputStream file = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(
            new GzipCompressorOutputStream(new BufferedOutputStream(file, 1 << 16), gzip),
            1 << 16))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      add(tar, "release.properties", 0644, ("version=" + version + "\nhealth.query="
          + healthQuery + "\n").getBytes(StandardCharsets.UTF_8));
      add(tar, "bin/start", 0755, startScript().getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < classpath.size(); i++) {
        Path entry = classpath.get(i);
        if (Files.isDirectory(entry)) {
          String name = i == 0 ? "example-app.jar" : "classes-" + i + ".jar";
          add(tar, "lib/" + name, 0644, i == 0 ? appJar() : jar(entry));
        } else {
          add(tar, "lib/" + entry.getFileName(), 0644, Files.readAllBytes(entry));
        }
      }
      for (String name : migrationNames(migrations)) {
        try (InputStream in = ReleaseBuilder.class.getResourceAsStream(MIGRATIONS + name)) {
          if (in == null) {
            throw new IOException("migration " + name + " is not on the class path");
          }
          add(tar, "migrations/" + name, 0644, in.readAllBytes());
        }
      }
      tar.finish();
    }
    return archive;
  }

  private static List<String> migrationNames(int count) {
    List<String> all = List.of("V1__create_orders.sql", "V2__add_priority.sql");
    return all.subList(0, count);
  }

  /**
   * The start script: resolves its release directory physically, so that the JVM keeps loading
   * classes from this release even after {@code current} is switched to another one.
   */
  static String startScript() {
    return String.join("\n",
        "#!/bin/sh",
        "# Starts the example application from this release directory (not through current/).",
        "RELEASE=$(cd -P \"$(dirname \"$0\")/..\" && pwd -P)",
        "JAVA=\"${JAVA:-java}\"",
        "exec \"$JAVA\" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto "
            + "-Dapp.release=\"$RELEASE\" -cp \"$RELEASE/lib/*\" " + MAIN_CLASS + " \"$@\"",
        "");
  }

  private byte[] appJar() throws IOException {
    if (appJar == null) {
      appJar = jar(classpath.get(0));
    }
    return appJar;
  }

  private static byte[] jar(Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted()::iterator) {
        if (Files.isRegularFile(p)) {
          jar.putNextEntry(new JarEntry(dir.relativize(p).toString().replace('\\', '/')));
          Files.copy(p, jar);
          jar.closeEntry();
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return bytes.toByteArray();
  }

  private static void add(TarArchiveOutputStream tar, String name, int mode, byte[] content)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(mode);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static Path codeSource() throws IOException {
    try {
      return Path.of(ReleaseBuilder.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the example application's classes", e);
    }
  }
}
