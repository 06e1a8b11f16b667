package dev.updater.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How an install takes updates: {@link #NOTIFY} (the default) detects and
 * pre-downloads a release and waits for an operator to approve it, {@link #AUTO} installs it when
 * detected, {@link #DISABLED} never checks on its own.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(home)
 *     .source(source)
 *     .modeFromEnv("MYAPP_UPDATE_MODE")   // notify | auto | disabled; unset means NOTIFY
 *     .build();
 * try (UpdateScheduler scheduler = UpdateScheduler.builder(updater).build().start()) { ... }
 * }</pre>
 *
 * <p>The mode is read by the {@link UpdateScheduler} at every tick and shown by the admin facade;
 * it never stops an operator's explicit {@link Updater#install} or {@link Updater#rollback}.
 */
public enum UpdateMode {
  /** Detect, pre-download and verify in the background, then wait for approval. The default. */
  NOTIFY,
  /** Install a detected release at once (within the maintenance window, when one is set). */
  AUTO,
  /** Never check on a schedule: no request is made to the update source on the updater's own. */
  DISABLED;

  /** The lower-case name used in environment variables and JSON, such as {@code notify}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code notify}, {@code auto} or {@code disabled}, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static UpdateMode parse(String text) {
    Objects.requireNonNull(text, "text");
    String wanted = text.strip();
    for (UpdateMode mode : values()) {
      if (mode.name().equalsIgnoreCase(wanted)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not an update mode; use one of "
        + Arrays.stream(values()).map(UpdateMode::configName).collect(Collectors.joining(", ")));
  }
}
