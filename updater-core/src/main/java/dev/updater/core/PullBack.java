package dev.updater.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a scheduler's tick does when the check found the installed release revoked by its
 * publisher: in {@link UpdateMode#AUTO}, unless an installable update replaces it in the same
 * tick, rolls back to the newest release kept on disk that is not revoked; in {@link
 * UpdateMode#NOTIFY}, only warns (the status, the check report and the admin API show it). And
 * while the install needs an operator ({@link UpdateStatus.State#NEEDS_OPERATOR}), an {@code
 * AUTO} tick does nothing.
 *
 * <p>Stateless and thread-safe.
 */
final class PullBack {
  private static final Logger LOG = LoggerFactory.getLogger(PullBack.class);

  private PullBack() {}

  /**
   * The tick's result when it pulled the install back, or when in {@link UpdateMode#AUTO} it
   * must not act because the install needs an operator; empty when the tick goes on as usual.
   */
  static Optional<UpdateScheduler.Tick> apply(Updater updater, CheckReport report,
      UpdateMode mode) {
    if (mode == UpdateMode.AUTO) {
      UpdateStatus status = updater.status();
      if (status.needsOperator()) {
        String why = status.error().map(UpdateStatus.Failure::message).orElse("");
        LOG.warn("The install needs an operator; the scheduler installs and rolls back nothing"
            + " until a repair, rollback or install succeeds: {}", why);
        return Optional.of(new UpdateScheduler.Tick.Failed(new UpdateException(
            UpdateException.Reason.INVALID_STATE, null, "the install needs an operator, so"
            + " nothing is installed or rolled back automatically: " + why, null)));
      }
    }
    Optional<Revocation> revoked = report.installedRevocation();
    if (revoked.isEmpty()) {
      return Optional.empty();
    }
    Revocation r = revoked.get();
    if (mode != UpdateMode.AUTO || report.installable()) {
      LOG.warn("The installed {} was revoked by its publisher on {}: {}; {}", r.version(),
          r.revokedAt(), r.reason(), report.installable() ? "installing the update replaces it"
              : "roll back or install another release (notify mode changes nothing by itself)");
      return Optional.empty();
    }
    Optional<Version> target = newestKept(updater.layout(), report);
    if (target.isEmpty()) {
      return Optional.of(new UpdateScheduler.Tick.Failed(new UpdateException(
          UpdateException.Reason.INVALID_STATE, null, "the installed " + r.version()
          + " was revoked by its publisher (" + r.reason() + "), and no other release that is"
          + " not revoked is kept in " + updater.layout().releases() + " to roll back to;"
          + " install a release that is not revoked", null)));
    }
    LOG.warn("The installed {} was revoked by its publisher on {} ({}); rolling back to {}",
        r.version(), r.revokedAt(), r.reason(), target.get());
    try {
      return Optional.of(new UpdateScheduler.Tick.PulledBack(r,
          updater.rollback(target.get())));
    } catch (UpdateException e) {
      return Optional.of(new UpdateScheduler.Tick.Failed(e));
    }
  }

  /** The newest release kept on disk that is neither installed nor revoked. */
  private static Optional<Version> newestKept(Layout layout, CheckReport report) {
    List<Version> revoked = report.revoked().stream().map(Revocation::version).toList();
    try (Stream<Path> dirs = Files.list(layout.releases())) {
      return dirs.filter(Files::isDirectory)
          .map(d -> parse(d.getFileName().toString()))
          .flatMap(Optional::stream)
          .filter(v -> !report.installed().equals(Optional.of(v)) && !revoked.contains(v))
          .max(Comparator.naturalOrder());
    } catch (IOException e) {
      LOG.warn("Cannot list the kept releases in {}: {}", layout.releases(), e.toString());
      return Optional.empty();
    }
  }

  private static Optional<Version> parse(String name) {
    try {
      return Optional.of(Version.parse(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
