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
   * past.
   *
   * @throws TimeoutException naming {@code what}, the number of attempts and the last failure
   *     (also attached as the cause) when the deadline passed without a healthy answer
   * @throws InterruptedException when interrupted while waiting
   */
  public static void poll(String what, Duration interval, Duration timeout, Clock clock,
      Sleeper sleeper, Probe probe) throws TimeoutException, InterruptedException {
    Instant start = clock.instant();
    Instant deadline = start.plus(timeout);
    int attempts = 0;
    while (true) {
      attempts++;
      Duration remaining = Duration.between(clock.instant(), deadline);
      try {
        probe.attempt(remaining.isNegative() || remaining.isZero() ? Duration.ofMillis(1) : remaining);
        return;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        Instant now = clock.instant();
        if (!now.plus(interval).isBefore(deadline)) {
          TimeoutException t = new TimeoutException(what + " was not healthy within "
              + describe(timeout) + " (" + attempts + (attempts == 1 ? " attempt" : " attempts")
              + "); last: " + Failures.describe(e));
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
