package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Step;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.Version;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordingListenerTest {
  private static final Version V = Version.parse("1.1.0");
  private final RecordingListener listener = RecordingListener.create();

  @Test
  void recordsEventsInOrderAndFiltersThemByType() {
    UpdateEvent started = new UpdateEvent.Started(Operation.INSTALL, Optional.empty(), V);
    UpdateEvent.Completed completed =
        new UpdateEvent.Completed(Operation.INSTALL, Optional.empty(), V);
    listener.onEvent(started);
    listener.onEvent(new UpdateEvent.StepStarted(Operation.INSTALL, Step.CHECK, V));
    listener.onEvent(completed);

    assertThat(listener.events()).hasSize(3).startsWith(started).endsWith(completed);
    assertThat(listener.eventsOf(UpdateEvent.Completed.class)).containsExactly(completed);
  }

  @Test
  void stepsListsTheStartedStepsInOrder() {
    listener.onEvent(new UpdateEvent.StepStarted(Operation.INSTALL, Step.CHECK, V));
    listener.onEvent(new UpdateEvent.StepCompleted(Operation.INSTALL, Step.CHECK, V));
    listener.onEvent(new UpdateEvent.StepStarted(Operation.INSTALL, Step.DOWNLOAD, V));

    assertThat(listener.steps()).containsExactly(Step.CHECK, Step.DOWNLOAD);
  }

  @Test
  void throwsAtTheToldEventAfterRecordingIt() {
    RuntimeException broken = new IllegalStateException("listener bug");
    listener.failOnCall(2, broken);
    listener.onEvent(new UpdateEvent.StepStarted(Operation.INSTALL, Step.CHECK, V));

    assertThatThrownBy(() -> listener.onEvent(
        new UpdateEvent.StepStarted(Operation.INSTALL, Step.DOWNLOAD, V))).isSameAs(broken);
    assertThat(listener.steps()).containsExactly(Step.CHECK, Step.DOWNLOAD);
  }

  @Test
  void clearForgetsWhatWasRecorded() {
    listener.onEvent(new UpdateEvent.StepStarted(Operation.INSTALL, Step.CHECK, V));

    listener.clear();

    assertThat(listener.events()).isEmpty();
  }
}
