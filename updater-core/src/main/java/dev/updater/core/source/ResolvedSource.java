package dev.updater.core.source;

import java.util.Objects;

/**
 * The source an install resolved, and where the choice came from: {@link
 * ReleaseSources#resolve}'s answer.
 *
 * <pre>{@code
 * ResolvedSource r = ReleaseSources.resolve("MYAPP_UPDATE_SOURCE", home, DEFAULT_SOURCE);
 * log.info("Updates from {} ({})", r.settings().source(), r.origin());
 * ReleaseSource source = ReleaseSources.open(r.settings().source(), keys);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param settings the location, plus the trusted key files and channel when they were stored
 *     with it ({@link Origin#STORED}); only the location otherwise
 * @param origin which of the three places named it
 */
public record ResolvedSource(SourceSettings settings, Origin origin) {

  /** Where a resolved source came from, in the order they are tried. */
  public enum Origin {
    /** The environment variable the host named. */
    ENVIRONMENT,
    /** The settings remembered in the home's {@code .updater/source.json}. */
    STORED,
    /** The host's configured default. */
    DEFAULT
  }

  public ResolvedSource {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(origin, "origin");
  }
}
