package dev.updater.testkit;

import dev.updater.core.UpdateContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the recording fakes of the single-method ports share: they record the
 * {@link UpdateContext} of every call and can be told to fail at call N. Thread-safe.
 *
 * @param <F> the fake's own type, returned by the fluent setters
 */
abstract class ContextRecorder<F extends ContextRecorder<F>> {
  private final List<UpdateContext> calls = new CopyOnWriteArrayList<>();
  private final Failures<Exception> failures = Failures.create();

  /** Records {@code context}, then throws the failure scheduled for this call, if any. */
  final void record(UpdateContext context) throws Exception {
    calls.add(Objects.requireNonNull(context, "context"));
    failures.call();
  }

  /** Makes call number {@code n} (from 1) throw {@code failure}; later calls succeed. */
  public final F failOnCall(int n, Exception failure) {
    failures.failOnCall(n, failure);
    return self();
  }

  /** Makes call {@code n} and every later call throw {@code failure}. */
  public final F failFromCall(int n, Exception failure) {
    failures.failFromCall(n, failure);
    return self();
  }

  /** The contexts of every call so far, in order, failed calls included. */
  public final List<UpdateContext> calls() {
    return List.copyOf(calls);
  }

  /** How many times it was called. */
  public final int callCount() {
    return calls.size();
  }

  @SuppressWarnings("unchecked")
  private F self() {
    return (F) this;
  }

  /** A recorder on its own, for fakes that record more than one method. */
  static final class Plain extends ContextRecorder<Plain> {}
}
