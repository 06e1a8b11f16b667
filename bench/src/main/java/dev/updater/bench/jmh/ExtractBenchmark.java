package dev.updater.bench.jmh;

import dev.updater.bench.Scratch;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.Artifact;
import dev.updater.core.repository.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link ArchiveStager} extracting a 16 MB tar.gz of 200 files (half text, half random) into a
 * fresh directory on the local disk; the directory is created and deleted outside the timing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExtractBenchmark {
  private Path dir;
  private Path archive;
  private Artifact artifact;
  private Path target;
  private final ArchiveStager stager = ArchiveStager.defaults();
  private int runs;

  @Setup(Level.Trial)
  public void writeArchive() throws IOException {
    dir = Files.createTempDirectory("updater-jmh-extract");
    archive = dir.resolve("app.tar.gz");
    SplittableRandom random = new SplittableRandom(11);
    byte[] buf = new byte[80 * 1024];
    try (OutputStream file = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(
            new GzipCompressorOutputStream(file))) {
      for (int i = 0; i < 200; i++) {
        if (i % 2 == 0) {
          for (int k = 0; k < buf.length; k++) {
            buf[k] = (byte) ('a' + random.nextInt(6));
          }
        } else {
          random.nextBytes(buf);
        }
        TarArchiveEntry e = new TarArchiveEntry("lib/" + (i % 10) + "/f" + i);
        e.setSize(buf.length);
        e.setMode(0644);
        tar.putArchiveEntry(e);
        tar.write(buf);
        tar.closeArchiveEntry();
      }
    }
    artifact = new Artifact("app.tar.gz", Files.size(archive), Sha256.hex(archive), "app.tar.gz");
  }

  @Setup(Level.Invocation)
  public void freshTarget() throws IOException {
    target = Files.createDirectory(dir.resolve("t" + (runs++)));
  }

  @TearDown(Level.Invocation)
  public void deleteTarget() throws IOException {
    Scratch.delete(target);
  }

  @TearDown(Level.Trial)
  public void deleteAll() throws IOException {
    Scratch.delete(dir);
  }

  @Benchmark
  public void stageSixteenMegabytes() throws IOException {
    stager.stage(archive, artifact, target);
  }
}
