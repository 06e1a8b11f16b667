package dev.updater.core;

/**
 * Receives {@link UpdateEvent}s: progress for a panel, in-app notifications, metrics.
 *
 * <p>Called synchronously on the thread running the operation; keep it quick and hand slow work
 * to another thread. A listener that throws is logged and never stops the update.
 *
 * <pre>{@code
 * Updater.builder()...listener(event -> {
 *   if (event instanceof UpdateEvent.Failed f) notify("Update failed: " + f.error().getMessage());
 * })
 * }</pre>
 */
@FunctionalInterface
public interface UpdateListener {

  /** A listener that ignores every event. */
  UpdateListener NONE = event -> { };

  /** Called for each event, in order. */
  void onEvent(UpdateEvent event);
}
