package dev.updater.bench.jmh;

import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SHA-256 of 1 MiB in memory with each candidate of {@code dev.updater.core.repository.Sha256}: the
 * JDK's {@code SUN} provider and Bouncy Castle's digest. Throughput is 1 MiB per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HashBenchmark {
  @Param({"SUN", "BC"})
  public String provider;

  private byte[] data;
  private MessageDigest digest;

  @Setup
  public void setUp() throws Exception {
    data = new byte[1 << 20];
    new SplittableRandom(3).nextBytes(data);
    digest = provider.equals("BC") ? new org.bouncycastle.jcajce.provider.digest.SHA256.Digest()
        : MessageDigest.getInstance("SHA-256", provider);
  }

  @Benchmark
  public byte[] sha256OneMebibyte() {
    return digest.digest(data);
  }
}
