package dev.updater.testkit;

import dev.updater.core.UpdateContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the contexts one faked method was called with and fails on schedule. Thread-safe. */
final class ContextRecorder {
  private final List<UpdateContext> calls = new CopyOnWriteArrayList<>();
  private final Failures<Exception> failures = Failures.create();

  /** Records {@code context}, then throws the failure scheduled for this call, if any. */
  void record(UpdateContext context) throws Exception {
    calls.add(Objects.requireNonNull(context, "context"));
    failures.call();
  }

  List<UpdateContext> calls() {
    return List.copyOf(calls);
  }

  Failures<Exception> failures() {
    return failures;
  }
}
