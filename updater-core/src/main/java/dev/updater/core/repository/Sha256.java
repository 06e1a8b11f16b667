package dev.updater.core.repository;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHA-256 from the fastest implementation available on the running JDK, measured once at first
 * use rather than assumed: the digest every artifact, object and manifest page of a repository is
 * named and checked by, for publishers that compute it themselves.
 *
 * <pre>{@code
 * Artifact artifact = new Artifact("app.tar.gz", Files.size(file), Sha256.hex(file), url);
 * }</pre>
 *
 * <p>The candidates are every installed provider of {@code MessageDigest.SHA-256} (usually only
 * {@code SUN}, which HotSpot runs with the CPU's SHA instructions where it has them) and Bouncy
 * Castle's digest (pure Java, used directly, without registering a provider). The first digest
 * asked for starts the measurement on a background thread and is the JDK's preferred one, so no
 * caller waits; there each candidate hashes 10 MB in 40 alternating rounds (so that the JIT has
 * compiled it) and the best rounds are compared. The choice is kept for the life of the JVM and
 * logged. The system property {@value #PROVIDER_PROPERTY} names a candidate ({@code SUN}, {@code
 * BC}, ...) to skip the measurement; an unknown name is logged and ignored. Every candidate
 * computes the same function, so the choice changes speed, never results.
 *
 * <p>Thread-safe; each {@link #newDigest()} is a new, unshared digest.
 */
public final class Sha256 {
  private static final Logger LOG = LoggerFactory.getLogger(Sha256.class);

  /** The system property that names the provider to use instead of measuring. */
  public static final String PROVIDER_PROPERTY = "dev.updater.sha256.provider";
  /** The name of the Bouncy Castle candidate. */
  static final String BOUNCY_CASTLE = "BC";
  /** The read buffer used to hash files. */
  static final int FILE_BUFFER = 256 * 1024;

  private static final int PROBE_CHUNK = 256 * 1024;
  private static final int PROBE_CHUNKS_PER_ROUND = 1;
  /**
   * Enough rounds for the JIT to compile every candidate (HotSpot uses the CPU's SHA instructions
   * only in compiled code): measured cold, the JDK's digest looked slower than Bouncy Castle's.
   */
  private static final int PROBE_ROUNDS = 40;
  /** Another candidate must beat the JDK's preferred one by this factor to be chosen. */
  private static final double MARGIN = 1.1;

  /** A SHA-256 implementation the choice is made between. */
  record Candidate(String name, Supplier<MessageDigest> factory) {}

  /** The outcome of a choice: the winner and, per candidate, its best round in nanoseconds. */
  record Choice(Candidate winner, List<String> timings) {}

  private static volatile Choice choice;
  private static Thread probe; // guarded by Sha256.class

  private Sha256() {}

  /**
   * A fresh SHA-256 digest of the chosen implementation. Until the choice is made (the first call
   * starts it on a background thread), the JDK's preferred implementation: a caller never waits
   * for the measurement.
   */
  public static MessageDigest newDigest() {
    Choice c = choice;
    if (c == null) {
      startChoosing();
      c = choice;
      if (c == null) {
        return jdkDefault();
      }
    }
    return c.winner().factory().get();
  }

  /** The name of the chosen implementation, such as {@code SUN} or {@code BC}; waits for it. */
  public static String providerName() {
    return awaitChoice().winner().name();
  }

  /** What was measured when the implementation was chosen, one line per candidate; waits for it. */
  public static List<String> timings() {
    return awaitChoice().timings();
  }

  /** The lower-case hex SHA-256 of the file at {@code file}, read once, links not followed. */
  public static String hex(Path file) throws IOException {
    MessageDigest digest = newDigest();
    update(digest, file);
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Feeds every byte of {@code file} into {@code digest}; links are not followed. */
  public static void update(MessageDigest digest, Path file) throws IOException {
    byte[] buf = new byte[FILE_BUFFER];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buf)) != -1) {
        digest.update(buf, 0, n);
      }
    }
  }

  /** Makes the choice at once when the property names a candidate, else starts measuring. */
  private static synchronized void startChoosing() {
    if (choice != null || probe != null) {
      return;
    }
    String requested = System.getProperty(PROVIDER_PROPERTY);
    if (requested != null && !requested.isBlank()) {
      decide(choose(candidates(), requested, System::nanoTime));
      if (choice != null) {
        return;
      }
    }
    probe = new Thread(() -> {
      try {
        decide(choose(candidates(), null, System::nanoTime));
      } catch (RuntimeException e) {
        LOG.warn("Could not measure the SHA-256 implementations; the JDK's preferred one is used",
            e);
      }
    }, "updater-sha256-choice");
    probe.setDaemon(true);
    probe.start();
  }

  private static synchronized void decide(Choice c) {
    if (choice == null) {
      choice = c;
      LOG.info("SHA-256 uses {} ({})", c.winner().name(), String.join(", ", c.timings()));
    }
  }

  /** The choice, waiting for the measurement when it is still running. */
  static Choice awaitChoice() {
    startChoosing();
    Thread running;
    synchronized (Sha256.class) {
      running = probe;
    }
    boolean interrupted = false;
    while (choice == null && running != null) {
      try {
        running.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (!running.isAlive() && choice == null) {
        decide(new Choice(new Candidate("JDK", Sha256::jdkDefault),
            List.of("the measurement failed; the JDK's preferred implementation is used")));
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return choice;
  }

  private static MessageDigest jdkDefault() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /** Every SHA-256 implementation of this JDK, plus Bouncy Castle's when it is present. */
  static List<Candidate> candidates() {
    List<Candidate> out = new ArrayList<>();
    Provider[] providers = Security.getProviders("MessageDigest.SHA-256");
    if (providers != null) {
      for (Provider p : providers) {
        out.add(new Candidate(p.getName(), () -> {
          try {
            return MessageDigest.getInstance("SHA-256", p);
          } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(p.getName() + " no longer provides SHA-256", e);
          }
        }));
      }
    }
    if (out.stream().noneMatch(c -> c.name().equals(BOUNCY_CASTLE)) && bouncyCastlePresent()) {
      out.add(new Candidate(BOUNCY_CASTLE,
          org.bouncycastle.jcajce.provider.digest.SHA256.Digest::new));
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("this Java runtime provides no SHA-256 implementation");
    }
    return out;
  }

  /**
   * Picks the candidate named by {@code requested} when there is one, else the fastest of {@code
   * candidates}: each hashes the same bytes in alternating rounds after a warm-up round, and the
   * best round of each, timed with {@code nanoTime}, is compared. The first candidate (the JDK's
   * preferred one) is kept unless another is more than 10 % faster, so noise does not flip it.
   */
  static Choice choose(List<Candidate> candidates, String requested, LongSupplier nanoTime) {
    if (requested != null && !requested.isBlank()) {
      Optional<Candidate> named = candidates.stream()
          .filter(c -> c.name().equalsIgnoreCase(requested.trim())).findFirst();
      if (named.isPresent()) {
        return new Choice(named.get(), List.of(named.get().name() + " named by -D"
            + PROVIDER_PROPERTY));
      }
      LOG.warn("-D{}={} names no SHA-256 implementation of this JVM (there are {}); measuring "
          + "instead", PROVIDER_PROPERTY, requested, candidates.stream().map(Candidate::name)
          .toList());
    }
    if (candidates.size() == 1) {
      return new Choice(candidates.get(0), List.of(candidates.get(0).name() + " (the only one)"));
    }
    byte[] chunk = new byte[PROBE_CHUNK];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) (i * 31 + (i >>> 8));
    }
    long[] best = new long[candidates.size()];
    java.util.Arrays.fill(best, Long.MAX_VALUE);
    MessageDigest[] digests = new MessageDigest[candidates.size()];
    for (int i = 0; i < digests.length; i++) {
      digests[i] = candidates.get(i).factory().get();
    }
    for (int round = 0; round <= PROBE_ROUNDS; round++) {
      for (int i = 0; i < digests.length; i++) {
        long start = nanoTime.getAsLong();
        for (int k = 0; k < PROBE_CHUNKS_PER_ROUND; k++) {
          digests[i].update(chunk);
        }
        digests[i].digest();
        long elapsed = nanoTime.getAsLong() - start;
        if (round > 0) { // round 0 is the warm-up
          best[i] = Math.min(best[i], elapsed);
        }
      }
    }
    int winner = 0;
    List<String> timings = new ArrayList<>();
    double megabytes = PROBE_CHUNK * (double) PROBE_CHUNKS_PER_ROUND / (1024 * 1024);
    for (int i = 0; i < best.length; i++) {
      if (best[i] * MARGIN < best[winner]) {
        winner = i;
      }
      timings.add(String.format(Locale.ROOT, "%s %.0f MB/s", candidates.get(i).name(),
          megabytes / (Math.max(1, best[i]) / 1e9)));
    }
    return new Choice(candidates.get(winner), List.copyOf(timings));
  }

  private static boolean bouncyCastlePresent() {
    try {
      Class.forName("org.bouncycastle.jcajce.provider.digest.SHA256$Digest", false,
          Sha256.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
