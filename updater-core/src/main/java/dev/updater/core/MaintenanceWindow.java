package dev.updater.core;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A daily time span, in a zone's local time, in which {@link UpdateMode#AUTO} may install: for
 * example {@code 02:00-04:00}. A window may cross midnight ({@code 23:00-01:00}); its start is
 * inside it, its end is not.
 *
 * <pre>{@code
 * UpdateScheduler.builder(updater)
 *     .maintenanceWindow(MaintenanceWindow.parse("02:00-04:00"), ZoneId.of("Europe/Berlin"))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param start the first local time inside the window
 * @param end the first local time after it
 */
public record MaintenanceWindow(LocalTime start, LocalTime end) {

  public MaintenanceWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.equals(end)) {
      throw new IllegalArgumentException("a maintenance window from " + start + " to " + end
          + " is empty; give two different times, such as 02:00-04:00");
    }
  }

  /**
   * Parses {@code HH:mm-HH:mm}, such as {@code 02:00-04:00} or {@code 23:30-00:30}.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static MaintenanceWindow parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.strip().split("-", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("maintenance window '" + text
          + "' must look like HH:mm-HH:mm, such as 02:00-04:00");
    }
    try {
      return new MaintenanceWindow(LocalTime.parse(parts[0].strip()),
          LocalTime.parse(parts[1].strip()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("maintenance window '" + text + "' must look like"
          + " HH:mm-HH:mm, such as 02:00-04:00: " + e.getMessage(), e);
    }
  }

  /** True when {@code time} lies in the window. */
  public boolean contains(LocalTime time) {
    Objects.requireNonNull(time, "time");
    if (start.isBefore(end)) {
      return !time.isBefore(start) && time.isBefore(end);
    }
    return !time.isBefore(start) || time.isBefore(end); // crosses midnight
  }

  /** True when {@code instant}, in the local time of {@code zone}, lies in the window. */
  public boolean contains(Instant instant, ZoneId zone) {
    Objects.requireNonNull(instant, "instant");
    Objects.requireNonNull(zone, "zone");
    return contains(LocalTime.ofInstant(instant, zone));
  }

  /** The window as {@code HH:mm-HH:mm}. */
  @Override
  public String toString() {
    return start + "-" + end;
  }
}
