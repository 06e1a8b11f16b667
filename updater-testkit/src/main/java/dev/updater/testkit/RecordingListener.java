package dev.updater.testkit;

import dev.updater.core.Step;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An {@link UpdateListener} that records every event, with helpers to assert on them; it can be
 * told to throw at event N, to show that a broken listener never stops an update.
 *
 * <pre>{@code
 * RecordingListener events = RecordingListener.create();
 * Updater updater = Updater.builder()...listener(events).build();
 * updater.install(release);
 * assertThat(events.steps()).containsExactly(Step.CHECK, Step.DOWNLOAD, Step.VERIFY, ...);
 * assertThat(events.eventsOf(UpdateEvent.Completed.class)).hasSize(1);
 * }</pre>
 *
 * <p>Every event is recorded, including the ones told to fail. Thread-safe.
 */
public final class RecordingListener implements UpdateListener {
  private final List<UpdateEvent> events = new CopyOnWriteArrayList<>();
  private final Failures<RuntimeException> failures = Failures.create();

  private RecordingListener() {}

  /** A listener that records every event and never throws until told to. */
  public static RecordingListener create() {
    return new RecordingListener();
  }

  @Override
  public void onEvent(UpdateEvent event) {
    events.add(Objects.requireNonNull(event, "event"));
    failures.call();
  }

  /** Makes event number {@code n} (from 1) throw {@code failure} after it was recorded. */
  public RecordingListener failOnCall(int n, RuntimeException failure) {
    failures.failOnCall(n, failure);
    return this;
  }

  /** Makes event {@code n} and every later one throw {@code failure}. */
  public RecordingListener failFromCall(int n, RuntimeException failure) {
    failures.failFromCall(n, failure);
    return this;
  }

  /** Every event so far, in order. */
  public List<UpdateEvent> events() {
    return List.copyOf(events);
  }

  /** The events of one type, in order, such as {@code eventsOf(UpdateEvent.Failed.class)}. */
  public <T extends UpdateEvent> List<T> eventsOf(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }

  /** The step of every {@link UpdateEvent.StepStarted}, in order. */
  public List<Step> steps() {
    return eventsOf(UpdateEvent.StepStarted.class).stream().map(UpdateEvent.StepStarted::step)
        .collect(Collectors.toList());
  }

  /**
   * Forgets the events recorded so far, to assert on the next operation alone. Call numbers for
   * {@link #failOnCall} keep counting from where they were.
   */
  public void clear() {
    events.clear();
  }
}
