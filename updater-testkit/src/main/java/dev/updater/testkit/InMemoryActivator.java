package dev.updater.testkit;

import dev.updater.core.Version;
import dev.updater.core.spi.Activator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link Activator} that keeps the live version in memory instead of switching a link on disk:
 * {@link #activate} makes a version live, {@link #deactivate} leaves none. It records every call
 * and can be told to fail any of its methods at call N, to test what a host does when a switch or
 * its undoing fails.
 *
 * <pre>{@code
 * InMemoryActivator activator = InMemoryActivator.create()
 *     .failActivateOnCall(1, new IOException("rename failed"));
 * Updater updater = Updater.builder()...activator(activator).build();
 * ...
 * assertThat(activator.active()).isEmpty();
 * assertThat(activator.activations()).containsExactly(v110);
 * }</pre>
 *
 * <p>A failed call changes nothing: the live version stays what it was. Every call is recorded,
 * including the ones told to fail. Thread-safe: calls are serialised, so {@link #active} sees the
 * old or the new version, never neither.
 */
public final class InMemoryActivator implements Activator {
  /** One call of {@link #prepare}: the staged tree and the version it will be published as. */
  public record Preparation(Path stagedTree, Version version) {}

  private final Failures<IOException> preflightFailures = Failures.create();
  private final Failures<IOException> prepareFailures = Failures.create();
  private final Failures<IOException> activateFailures = Failures.create();
  private final Failures<IOException> deactivateFailures = Failures.create();
  private final List<Preparation> preparations = new ArrayList<>();
  private final List<Version> activations = new ArrayList<>();
  private Version live;

  private InMemoryActivator(Version live) {
    this.live = live;
  }

  /** A fake with no live release. */
  public static InMemoryActivator create() {
    return new InMemoryActivator(null);
  }

  /** A fake on which {@code live} is already the live release, as after an earlier install. */
  public static InMemoryActivator activeAt(Version live) {
    return new InMemoryActivator(Objects.requireNonNull(live, "live"));
  }

  @Override
  public void preflight() throws IOException {
    preflightFailures.call();
  }

  @Override
  public void prepare(Path stagedTree, Version version) throws IOException {
    Preparation p = new Preparation(Objects.requireNonNull(stagedTree, "stagedTree"),
        Objects.requireNonNull(version, "version"));
    synchronized (this) {
      preparations.add(p);
    }
    prepareFailures.call();
  }

  @Override
  public synchronized Optional<Version> active() {
    return Optional.ofNullable(live);
  }

  @Override
  public synchronized void activate(Version version) throws IOException {
    activations.add(Objects.requireNonNull(version, "version"));
    activateFailures.call();
    live = version;
  }

  @Override
  public synchronized void deactivate() throws IOException {
    deactivateFailures.call();
    live = null;
  }

  /** Makes call {@code n} (from 1) of {@link #preflight} throw {@code failure}. */
  public InMemoryActivator failPreflightOnCall(int n, IOException failure) {
    preflightFailures.failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} (from 1) of {@link #prepare} throw {@code failure}. */
  public InMemoryActivator failPrepareOnCall(int n, IOException failure) {
    prepareFailures.failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} (from 1) of {@link #activate} throw {@code failure}; nothing switches. */
  public InMemoryActivator failActivateOnCall(int n, IOException failure) {
    activateFailures.failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} and every later call of {@link #activate} throw {@code failure}. */
  public InMemoryActivator failActivateFromCall(int n, IOException failure) {
    activateFailures.failFromCall(n, failure);
    return this;
  }

  /** Makes call {@code n} (from 1) of {@link #deactivate} throw {@code failure}. */
  public InMemoryActivator failDeactivateOnCall(int n, IOException failure) {
    deactivateFailures.failOnCall(n, failure);
    return this;
  }

  /** The versions passed to {@link #activate}, in order, failed calls included. */
  public synchronized List<Version> activations() {
    return List.copyOf(activations);
  }

  /** The calls of {@link #prepare}, in order, failed calls included. */
  public synchronized List<Preparation> preparations() {
    return List.copyOf(preparations);
  }

  /** How many times {@link #preflight} was called. */
  public int preflightCount() {
    return preflightFailures.calls();
  }

  /** How many times {@link #deactivate} was called. */
  public int deactivateCount() {
    return deactivateFailures.calls();
  }

  @Override
  public String toString() {
    return "InMemoryActivator[live=" + active().map(Version::toString).orElse("none") + "]";
  }
}
