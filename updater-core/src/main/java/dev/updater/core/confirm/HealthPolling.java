package dev.updater.core.confirm;

import dev.updater.core.internal.Failures;
import dev.updater.core.source.HttpReleaseSource.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

/**
 * Polls one health probe every {@code interval} until it passes or {@code timeout} has passed since
 * the first attempt, measuring time with an injected clock and waiting with an injected sleeper, so
 * that tests need no real waiting. Not API.
 *
 * <p>Thread-safe: holds no state between calls.
 */
final class HealthPolling {

  /** One attempt: returns when healthy, throws with the reason otherwise. */
  @FunctionalInterface
  public interface Probe {
    void attempt(Duration remaining) throws Exception;
  }

  private HealthPolling() {}

  /**
   * Runs {@code probe} until it passes. At least one attempt is made, even with a deadline in the
   * past. With {@code failFastAfter} above zero, a probe that failed with the same description
   * (such as the same exit status and output, or the same HTTP status) that many times in a row
   * fails at once instead of being tried until the deadline.
   *
   * @throws TimeoutException naming {@code what}, the number of attempts and the last failure
   *     (also attached as the cause) when the deadline passed without a healthy answer
   * @throws java.io.IOException naming {@code what}, the number of attempts and the failure (also
   *     attached as the cause) when it failed the same way {@code failFastAfter} times in a row
   * @throws InterruptedException when interrupted while waiting
   */
  public static void poll(String what, Duration interval, Duration timeout, int failFastAfter,
      Clock clock, Sleeper sleeper, Probe probe)
      throws TimeoutException, java.io.IOException, InterruptedException {
    Instant start = clock.instant();
    Instant deadline = start.plus(timeout);
    int attempts = 0;
    String last = null;
    int same = 0;
    while (true) {
      attempts++;
      Duration remaining = Duration.between(clock.instant(), deadline);
      try {
        probe.attempt(remaining.isNegative() || remaining.isZero() ? Duration.ofMillis(1) : remaining);
        return;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        String failure = Failures.describe(e);
        same = failure.equals(last) ? same + 1 : 1;
        last = failure;
        if (failFastAfter > 0 && same >= failFastAfter) {
          throw new java.io.IOException(what + " failed the same way " + same + " times in a row"
              + " (" + attempts + (attempts == 1 ? " attempt" : " attempts") + " in "
              + describe(Duration.between(start, clock.instant())) + "), so it is not tried for"
              + " the rest of its " + describe(timeout) + ": " + failure, e);
        }
        Instant now = clock.instant();
        if (!now.plus(interval).isBefore(deadline)) {
          TimeoutException t = new TimeoutException(what + " was not healthy within "
              + describe(timeout) + " (" + attempts + (attempts == 1 ? " attempt" : " attempts")
              + "); last: " + failure);
          t.initCause(e);
          throw t;
        }
        sleeper.sleep(interval);
      }
    }
  }

  /** {@code 60 s}, {@code 500 ms}. */
  public static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
