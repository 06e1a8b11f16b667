package dev.updater.core.internal;

import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateListener;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the listeners, isolating the pipeline from a listener that throws, and keeps
 * the latest progress so that {@code status()} can show bytes done while this process runs a step.
 * Not API.
 */
final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<UpdateListener> listeners;
  private volatile UpdateEvent.Progress lastProgress;

  Events(List<UpdateListener> listeners) {
    this.listeners = listeners;
  }

  void emit(UpdateEvent event) {
    if (event instanceof UpdateEvent.Progress p) {
      lastProgress = p;
    } else if (event instanceof UpdateEvent.StepStarted || event instanceof UpdateEvent.Completed
        || event instanceof UpdateEvent.Failed) {
      lastProgress = null;
    }
    for (UpdateListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("Update listener {} threw on {}; the update goes on", listener, event, e);
      }
    }
  }

  Optional<UpdateEvent.Progress> progress() {
    return Optional.ofNullable(lastProgress);
  }
}
