package dev.updater.core;

import java.util.Objects;
import java.util.Optional;

/**
 * What an install, rollback or repair achieved. Failures are not results: they are thrown as
 * {@link UpdateException}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * UpdateResult result = updater.install(release);
 * if (result instanceof UpdateResult.Updated updated) {
 *   log.info("now on {}", updated.to());
 * }
 * }</pre>
 */
public sealed interface UpdateResult {

  /** The requested version was already the live release; nothing was done. */
  record UpToDate(Version version) implements UpdateResult {
    public UpToDate {
      Objects.requireNonNull(version, "version");
    }
  }

  /** The live release moved from {@code from} (none on a first install) to {@code to}. */
  record Updated(Optional<Version> from, Version to) implements UpdateResult {
    public Updated {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /** The live release was switched back from {@code from} to {@code to} on request. */
  record RolledBack(Version from, Version to) implements UpdateResult {
    public RolledBack {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /** The live release {@code version} was repaired in place. */
  record Repaired(Version version) implements UpdateResult {
    public Repaired {
      Objects.requireNonNull(version, "version");
    }
  }
}
