package dev.updater.bench;

import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.Release;
import dev.updater.core.Updater;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM that installs the newest release of one repository into a fresh home with {@code
 * Updater.install}, then prints its peak heap (the sum of the peak usage of every heap pool, an
 * upper bound of the real peak), its peak resident set ({@code VmHWM} of /proc/self/status) and
 * the install time. {@code bench/run} starts it with {@code -Xmx64m}.
 *
 * <pre>{@code
 * java -Xmx64m -cp ... dev.updater.bench.MemoryProbe <repository-url> <home>
 * }</pre>
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  /** Installs from {@code args[0]} into {@code args[1]}. */
  public static void main(String[] args) throws IOException {
    Path home = Path.of(args[1]);
    Files.createDirectories(home);
    Updater updater = Updater.builder()
        .home(home)
        .source(HttpReleaseSource.of(URI.create(args[0])))
        .build();
    Release release = updater.check().orElseThrow(() ->
        new IllegalStateException("the repository " + args[0] + " offers no release"));
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage(); // count the install, not the start of the JVM
    }
    long start = System.nanoTime();
    updater.install(release);
    double seconds = (System.nanoTime() - start) / 1e9;
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPeak += pool.getPeakUsage().getUsed();
      }
    }
    long maxHeap = Runtime.getRuntime().maxMemory();
    System.out.println("PROBE seconds " + seconds);
    System.out.println("PROBE heap_peak_bytes " + heapPeak);
    System.out.println("PROBE heap_max_bytes " + maxHeap);
    System.out.println("PROBE rss_peak_kb " + statusKb("VmHWM"));
    System.out.println("PROBE release_bytes " + release.primaryArtifact().size());
  }

  static long statusKb(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }
}
