package dev.updater.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A schedule of failures by call number, shared by every fake of the testkit: "throw this at
 * the 3rd call", "throw this at every call from the 2nd on". Calls are numbered from 1, and every
 * call counts, including the ones that throw.
 *
 * <p>The fakes expose it through their own {@code failOnCall} / {@code failFromCall} methods; a
 * host writing a fake of its own can use it directly:
 *
 * <pre>{@code
 * final class FlakyActivator implements Activator {
 *   final Failures<IOException> failures = Failures.create();
 *   public void activate(Version v) throws IOException {
 *     failures.call();   // throws what was scheduled for this call, if anything
 *     ...
 *   }
 * }
 * flaky.failures.failOnCall(2, new IOException("rename failed"));
 * }</pre>
 *
 * <p>When both a single call and a range cover a call, the single call's failure is thrown. The
 * same exception instance is thrown each time it is due.
 *
 * <p>Thread-safe: concurrent calls get distinct numbers.
 *
 * @param <E> the exception type the faked method may throw
 */
public final class Failures<E extends Exception> {
  private final Map<Integer, E> onCall = new HashMap<>();
  private int fromCall = Integer.MAX_VALUE;
  private E fromFailure;
  private int calls;

  private Failures() {}

  /** An empty schedule: no call fails. */
  public static <E extends Exception> Failures<E> create() {
    return new Failures<>();
  }

  /**
   * Makes call number {@code n} (from 1) throw {@code failure}; later calls succeed again.
   *
   * @throws IllegalArgumentException when {@code n} is not positive
   * @throws IllegalStateException when call {@code n} has already happened
   */
  public synchronized Failures<E> failOnCall(int n, E failure) {
    onCall.put(future(n), Objects.requireNonNull(failure, "failure"));
    return this;
  }

  /**
   * Makes call number {@code n} (from 1) and every call after it throw {@code failure}.
   *
   * @throws IllegalArgumentException when {@code n} is not positive
   * @throws IllegalStateException when call {@code n} has already happened
   */
  public synchronized Failures<E> failFromCall(int n, E failure) {
    fromFailure = Objects.requireNonNull(failure, "failure");
    fromCall = future(n);
    return this;
  }

  /**
   * Counts one call and throws the failure scheduled for it, if any.
   *
   * @return the number of this call, from 1, when it does not fail
   */
  public int call() throws E {
    E failure;
    int n;
    synchronized (this) {
      n = ++calls;
      failure = onCall.containsKey(n) ? onCall.get(n) : n >= fromCall ? fromFailure : null;
    }
    if (failure != null) {
      throw failure;
    }
    return n;
  }

  /** How many calls were counted so far, failed ones included. */
  public synchronized int calls() {
    return calls;
  }

  private int future(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("calls are numbered from 1, was " + n);
    }
    if (n <= calls) {
      throw new IllegalStateException(
          "call " + n + " has already happened (" + calls + " call(s) so far)");
    }
    return n;
  }
}
