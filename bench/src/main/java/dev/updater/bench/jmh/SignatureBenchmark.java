package dev.updater.bench.jmh;

import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Checking the minisign (Ed25519) signature of a 64 KB channel index, as every check does. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBenchmark {
  private byte[] index;
  private String signature;
  private TrustedKeys keys;

  @Setup
  public void sign() {
    SigningKey key = SigningKey.generate();
    index = "{\"releases\": []}".repeat(4096).getBytes(StandardCharsets.UTF_8);
    signature = key.sign(index, "timestamp:0\tfile:stable.json");
    keys = TrustedKeys.parse(key.publicKeyText());
  }

  @Benchmark
  public String verifyIndexSignature() throws Exception {
    return keys.verify(index, signature);
  }
}
