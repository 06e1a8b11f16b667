package dev.updater.bench;

import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A listener that times each step of one install from its events: the time from a step's start
 * to its completion, and the time between a completion and the next start (such as publishing
 * the staged tree after STAGE) under the name {@code after-<STEP>}.
 */
final class StepTimes implements UpdateListener {
  private final List<String> parts = new ArrayList<>();
  private long last = System.nanoTime();
  private String lastStep = "start";

  @Override
  public void onEvent(UpdateEvent event) {
    long now = System.nanoTime();
    if (event instanceof UpdateEvent.StepStarted s) {
      add("after-" + lastStep, now);
      lastStep = s.step().name();
    } else if (event instanceof UpdateEvent.StepCompleted c) {
      add(c.step().name(), now);
    } else if (event instanceof UpdateEvent.Completed) {
      add("after-" + lastStep, now);
    }
  }

  private void add(String name, long now) {
    double seconds = (now - last) / 1e9;
    last = now;
    if (seconds >= 0.01) {
      parts.add(String.format(Locale.ROOT, "%s %.2f", name, seconds));
    }
  }

  @Override
  public String toString() {
    return String.join(", ", parts);
  }
}
