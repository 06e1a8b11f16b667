package dev.updater.testkit;

import dev.updater.core.Release;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseGate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ReleaseGate} that records every release it is asked about and admits it, unless told to
 * refuse at call N (typically with an {@link dev.updater.core.spi.IncompatibleReleaseException},
 * which the pipeline reports as {@code INCOMPATIBLE}). It reports the facts it is given, for the
 * check report and telemetry.
 *
 * <pre>{@code
 * RecordingGate gate = RecordingGate.create()
 *     .fact("database", "postgresql")
 *     .failOnCall(1, new IncompatibleReleaseException("2.0.0 needs PostgreSQL 16"));
 * Updater updater = Updater.builder()...gate(gate).build();
 * ...
 * assertThat(gate.calls()).extracting(RecordingGate.Call::release).hasSize(1);
 * }</pre>
 *
 * <p>Every call is recorded, including the ones told to fail. Thread-safe.
 */
public final class RecordingGate implements ReleaseGate {
  /** One call of {@link #check}: the release asked about and the version installed then. */
  public record Call(Release release, Optional<Version> installed) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Failures<Exception> failures = Failures.create();
  private final Map<String, String> facts = new LinkedHashMap<>();

  private RecordingGate() {}

  /** A gate that admits every release and reports no facts until told otherwise. */
  public static RecordingGate create() {
    return new RecordingGate();
  }

  @Override
  public void check(Release release, Optional<Version> installed) throws Exception {
    calls.add(new Call(Objects.requireNonNull(release, "release"),
        Objects.requireNonNull(installed, "installed")));
    failures.call();
  }

  @Override
  public synchronized Map<String, String> facts() {
    return Map.copyOf(facts);
  }

  /** Adds (or replaces) a fact reported by {@link #facts()}. */
  public synchronized RecordingGate fact(String key, String value) {
    facts.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Makes call number {@code n} (from 1) throw {@code failure}; later calls succeed. */
  public RecordingGate failOnCall(int n, Exception failure) {
    failures.failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} and every later call throw {@code failure}. */
  public RecordingGate failFromCall(int n, Exception failure) {
    failures.failFromCall(n, failure);
    return this;
  }

  /** Every call so far, in order, failed calls included. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** How many times it was called. */
  public int callCount() {
    return failures.calls();
  }
}
