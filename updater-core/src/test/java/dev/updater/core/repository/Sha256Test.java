package dev.updater.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
  /** SHA-256 of "abc" (FIPS 180-2, appendix B.1). */
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir Path dir;

  @Test
  void shouldOfferTheJdkProviderAndBouncyCastleAsCandidates() {
    List<String> names = Sha256.candidates().stream().map(Sha256.Candidate::name).toList();

    assertThat(names).contains("SUN", Sha256.BOUNCY_CASTLE);
  }

  @Test
  void shouldComputeTheSameDigestWithEveryCandidate() {
    byte[] data = new byte[1024 * 1024 + 17];
    new Random(5).nextBytes(data);
    List<Sha256.Candidate> candidates = Sha256.candidates();
    String first = hex(candidates.get(0).factory().get().digest(data));

    for (Sha256.Candidate c : candidates) {
      assertThat(hex(c.factory().get().digest("abc".getBytes()))).as(c.name()).isEqualTo(ABC);
      assertThat(hex(c.factory().get().digest(data))).as(c.name()).isEqualTo(first);
    }
  }

  @Test
  void shouldHashAFileLikeADigestOfItsBytes() throws IOException {
    byte[] data = new byte[Sha256.FILE_BUFFER * 2 + 5];
    new Random(9).nextBytes(data);
    Path file = Files.write(dir.resolve("artifact.bin"), data);

    assertThat(Sha256.hex(file)).isEqualTo(hex(Sha256.newDigest().digest(data)));
    assertThat(Sha256.hex(Files.write(dir.resolve("abc"), "abc".getBytes()))).isEqualTo(ABC);
  }

  @Test
  void shouldPickTheFasterOfTwoCandidatesByMeasuring() {
    AtomicLong clock = new AtomicLong();
    AtomicInteger slowCalls = new AtomicInteger();
    Sha256.Candidate fast = new Sha256.Candidate("FAST", () -> new TimedDigest(clock, 1));
    Sha256.Candidate slow = new Sha256.Candidate("SLOW", () -> {
      slowCalls.incrementAndGet();
      return new TimedDigest(clock, 3);
    });

    Sha256.Choice choice = Sha256.choose(List.of(slow, fast), null, clock::get);

    assertThat(choice.winner().name()).isEqualTo("FAST");
    assertThat(choice.timings()).hasSize(2).anySatisfy(t -> assertThat(t).startsWith("SLOW "));
    assertThat(slowCalls).hasValue(1);
  }

  @Test
  void shouldKeepTheJdkCandidateWhenAnotherIsNotClearlyFaster() {
    AtomicLong clock = new AtomicLong();
    Sha256.Candidate jdk = new Sha256.Candidate("SUN", () -> new TimedDigest(clock, 21));
    Sha256.Candidate other = new Sha256.Candidate("BC", () -> new TimedDigest(clock, 20));

    assertThat(Sha256.choose(List.of(jdk, other), null, clock::get).winner().name())
        .isEqualTo("SUN");
  }

  @Test
  void shouldJudgeByTheBestRoundSoThatAWarmUpDoesNotDecide() {
    AtomicLong clock = new AtomicLong();
    // the first candidate is very slow at first (not yet compiled), then the fastest
    Sha256.Candidate warming = new Sha256.Candidate("WARMING", () -> new TimedDigest(clock, 1) {
      private int updates;

      @Override
      protected void engineUpdate(byte[] input, int offset, int len) {
        super.engineUpdate(input, offset, len);
        if (++updates <= 4) {
          clock.addAndGet(1_000_000);
        }
      }
    });
    Sha256.Candidate steady = new Sha256.Candidate("STEADY", () -> new TimedDigest(clock, 2));

    assertThat(Sha256.choose(List.of(warming, steady), null, clock::get).winner().name())
        .isEqualTo("WARMING");
  }

  @Test
  void shouldTakeTheCandidateNamedByThePropertyWithoutMeasuring() {
    AtomicInteger created = new AtomicInteger();
    Sha256.Candidate a = new Sha256.Candidate("SUN", () -> {
      created.incrementAndGet();
      return sun();
    });
    Sha256.Candidate b = new Sha256.Candidate("BC", Sha256Test::sun);

    Sha256.Choice choice = Sha256.choose(List.of(a, b), " bc ", System::nanoTime);

    assertThat(choice.winner()).isSameAs(b);
    assertThat(created).hasValue(0);
  }

  @Test
  void shouldMeasureWhenThePropertyNamesNoCandidate() {
    AtomicLong clock = new AtomicLong();
    Sha256.Candidate fast = new Sha256.Candidate("FAST", () -> new TimedDigest(clock, 1));
    Sha256.Candidate slow = new Sha256.Candidate("SLOW", () -> new TimedDigest(clock, 3));

    assertThat(Sha256.choose(List.of(slow, fast), "NOPE", clock::get).winner().name())
        .isEqualTo("FAST");
  }

  @Test
  void shouldKeepOneChoiceForTheLifeOfTheJvm() {
    String first = Sha256.providerName();

    assertThat(Sha256.providerName()).isEqualTo(first);
    assertThat(Sha256.newDigest()).isNotSameAs(Sha256.newDigest());
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  private static MessageDigest sun() {
    try {
      return MessageDigest.getInstance("SHA-256", "SUN");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A stand-in digest for the choice alone: it hashes nothing and only advances a fake clock by
   * {@code cost} per byte, so that the choice is decided without real timing.
   */
  private static class TimedDigest extends MessageDigest {
    private final AtomicLong clock;
    private final long cost;

    TimedDigest(AtomicLong clock, long cost) {
      super("SHA-256");
      this.clock = clock;
      this.cost = cost;
    }

    @Override
    protected void engineUpdate(byte input) {
      clock.addAndGet(cost);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      clock.addAndGet(cost * len);
    }

    @Override
    protected byte[] engineDigest() {
      return new byte[32];
    }

    @Override
    protected void engineReset() {}
  }
}
