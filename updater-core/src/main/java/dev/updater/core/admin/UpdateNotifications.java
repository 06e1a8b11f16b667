package dev.updater.core.admin;

import dev.updater.core.Phase;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateListener;
import dev.updater.core.Version;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An {@link UpdateListener} that turns the pipeline's events into in-app {@link Notification}s
 * (so that admins are told when an update starts and as it progresses, up to its completion or
 * failure): {@code STARTED}, one {@code PHASE} per phase entered ({@code downloading},
 * {@code extracting}, {@code restarting}; not one per step), then {@code COMPLETED}, or
 * {@code ROLLED_BACK} and/or {@code FAILED} with the error.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(home).source(source)
 *     .listener(UpdateNotifications.to(n -> inbox.notifyAdmins(n.message())))
 *     .build();
 * }</pre>
 *
 * <p>The consumer is called on the thread running the update, in event order; keep it quick. One
 * that throws is logged by the updater and never stops the update. Thread-safe for one operation
 * at a time (the update lock allows no more).
 */
public final class UpdateNotifications implements UpdateListener {
  private final Consumer<Notification> sink;
  private volatile Phase lastPhase;

  private UpdateNotifications(Consumer<Notification> sink) {
    this.sink = sink;
  }

  /** A listener that hands each notification to {@code sink}. */
  public static UpdateNotifications to(Consumer<Notification> sink) {
    return new UpdateNotifications(Objects.requireNonNull(sink, "sink"));
  }

  @Override
  public void onEvent(UpdateEvent event) {
    String op = event.operation().name().toLowerCase(Locale.ROOT);
    if (event instanceof UpdateEvent.Started s) {
      lastPhase = Phase.CHECKING;
      sink.accept(new Notification(Notification.Kind.STARTED, op, text(s.from()),
          s.to().toString(), Phase.CHECKING.statusName(), title(op, s.to()) + " started"
          + s.from().map(v -> " (from " + v + ")").orElse(""), null));
    } else if (event instanceof UpdateEvent.StepStarted s) {
      Phase phase = s.phase();
      if (phase != lastPhase) {
        lastPhase = phase;
        sink.accept(new Notification(Notification.Kind.PHASE, op, null, s.target().toString(),
            phase.statusName(), title(op, s.target()) + ": " + phase.statusName(), null));
      }
    } else if (event instanceof UpdateEvent.Completed c) {
      lastPhase = null;
      sink.accept(new Notification(Notification.Kind.COMPLETED, op, text(c.from()),
          c.to().toString(), Phase.COMPLETE.statusName(), title(op, c.to()) + " completed",
          null));
    } else if (event instanceof UpdateEvent.RolledBack r) {
      sink.accept(new Notification(Notification.Kind.ROLLED_BACK, op, r.from().toString(),
          r.to().map(Version::toString).orElse("none"), lastPhaseName(),
          r.to().map(v -> "Switched back from " + r.from() + " to " + v)
              .orElse("Switched back from " + r.from() + " to no release") + ": " + r.why(),
          null));
    } else if (event instanceof UpdateEvent.Failed f) {
      lastPhase = null;
      sink.accept(new Notification(Notification.Kind.FAILED, op, text(f.from()),
          f.to().toString(), Phase.ERROR.statusName(), title(op, f.to()) + " failed: "
          + f.error().getMessage(), AdminError.of(f.error())));
    }
  }

  private String lastPhaseName() {
    Phase p = lastPhase;
    return (p == null ? Phase.EXTRACTING : p).statusName();
  }

  private static String title(String operation, Version to) {
    switch (operation) {
      case "rollback":
        return "Rollback to " + to;
      case "repair":
        return "Repair of " + to;
      case "recovery":
        return "Recovery of " + to;
      default:
        return "Update to " + to;
    }
  }

  private static String text(Optional<Version> v) {
    return v.map(Version::toString).orElse(null);
  }
}
