package dev.updater.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A generated Spring Boot-style fat jar: application classes under {@code BOOT-INF/classes/} and
 * {@value #DEPENDENCIES} dependency jars of 0.5-2 MB stored uncompressed under {@code
 * BOOT-INF/lib/}, as Spring Boot's repackager lays it out; and its next build, in which one
 * dependency is bumped to a new version (every class of that jar different) and every entry
 * carries the new build's timestamp.
 */
final class FatJars {
  static final int DEPENDENCIES = 40;
  static final int BUMPED = 17;
  private static final long BUILD_1 = 1_700_000_000_000L;
  private static final long BUILD_2 = 1_702_000_000_000L;

  /** The two builds as written, and the size of the bumped dependency's new jar. */
  record Pair(Path first, Path second, long bumpedJarBytes) {}

  private FatJars() {}

  /** Writes {@code app-1.0.0.jar} and {@code app-1.1.0.jar} into {@code dir}. */
  static Pair write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, byte[]> first = new LinkedHashMap<>();
    Map<String, byte[]> second = new LinkedHashMap<>();
    first.put("META-INF/MANIFEST.MF", manifest("1.0.0"));
    second.put("META-INF/MANIFEST.MF", manifest("1.1.0"));
    Map<String, byte[]> classes = classes("com/example/app", 200, new SplittableRandom(99));
    first.putAll(prefixed("BOOT-INF/classes/", classes));
    second.putAll(prefixed("BOOT-INF/classes/", classes));
    long bumped = 0;
    for (int d = 0; d < DEPENDENCIES; d++) {
      int count = 100 + (d * 37) % 300;
      byte[] jar = jar(classes("org/dep" + d, count, new SplittableRandom(d)), BUILD_1, false);
      first.put("BOOT-INF/lib/dep" + d + "-1.0.jar", jar);
      if (d == BUMPED) {
        byte[] next = jar(classes("org/dep" + d, count, new SplittableRandom(1000 + d)), BUILD_2,
            false);
        second.put("BOOT-INF/lib/dep" + d + "-1.1.jar", next);
        bumped = next.length;
      } else {
        second.put("BOOT-INF/lib/dep" + d + "-1.0.jar", jar);
      }
    }
    Path a = Files.write(dir.resolve("app-1.0.0.jar"), jar(first, BUILD_1, true));
    Path b = Files.write(dir.resolve("app-1.1.0.jar"), jar(second, BUILD_2, true));
    return new Pair(a, b, bumped);
  }

  private static byte[] manifest(String version) {
    return ("Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.launch.JarLauncher"
        + "\nImplementation-Version: " + version + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, byte[]> prefixed(String prefix, Map<String, byte[]> entries) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    entries.forEach((k, v) -> out.put(prefix + k, v));
    return out;
  }

  /** {@code count} class-like entries of 2-9 KB, which deflate to some 70 % of their size. */
  private static Map<String, byte[]> classes(String pkg, int count, SplittableRandom random) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int size = 2048 + random.nextInt(7 * 1024);
      StringBuilder sb = new StringBuilder(size + 32);
      while (sb.length() < size) {
        sb.append(pkg).append("/m").append(random.nextInt(4000)).append("()L;");
        for (int k = 0; k < 24; k++) {
          sb.append((char) ('A' + random.nextInt(58)));
        }
      }
      entries.put(pkg + "/C" + i + ".class", sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    return entries;
  }

  /** A zip of {@code entries}, stamped {@code time}, stored uncompressed when {@code stored}. */
  private static byte[] jar(Map<String, byte[]> entries, long time, boolean stored)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = bytes; ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTime(time);
        if (stored && e.getKey().endsWith(".jar")) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
