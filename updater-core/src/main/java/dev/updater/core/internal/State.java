package dev.updater.core.internal;

import dev.updater.core.internal.io.FileTrees;
import dev.updater.core.HistoryEntry;
import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.Layout;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Version;
import dev.updater.core.spi.InvalidLayoutException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The install's state and the actions shared by the pipeline, confirmation and recovery: reading
 * the journal and the live release, beginning and ending operations, and removing what a failed
 * operation staged. Not API.
 */
final class State {
  private static final Logger LOG = LoggerFactory.getLogger(State.class);

  private final UpdaterConfig config;
  private final Layout layout;
  private final Journal journal;
  private final History history;
  private final ResultReporter results;
  private final Events events;
  private final Downloader downloader;
  private final Prefetcher prefetcher;
  private final FailureFile failure;
  private final Quarantine quarantine;
  private final RevocationFile revocations;

  State(UpdaterConfig config, Events events) {
    this.config = config;
    this.layout = config.layout();
    this.journal = new Journal(layout.state().resolve("journal.json"));
    Path historyFile = layout.state().resolve("history.jsonl");
    this.results = ResultReporter.of(config.results(), new History(historyFile),
        layout.state().resolve("install-id"), layout.state().resolve("results-sent"));
    this.history = new History(historyFile, results::sendPending);
    this.events = events;
    this.prefetcher = new Prefetcher(layout.state().resolve("prefetch"));
    this.downloader = new Downloader(layout.state().resolve("downloads"), prefetcher.dir());
    this.failure = new FailureFile(layout.state().resolve("failure.json"));
    this.quarantine = new Quarantine(layout.state().resolve("quarantine.json"));
    this.revocations = new RevocationFile(layout.state().resolve("revoked.json"));
  }

  /**
   * Sends the results in the history that were not sent yet (written by another process, or not
   * sent when they were written) to the host's sink. Never throws.
   */
  void sendPendingResults() {
    results.sendPending();
  }

  /** The channel's revocations as the last check read them. */
  RevocationFile revocations() {
    return revocations;
  }

  Quarantine quarantine() {
    return quarantine;
  }

  /**
   * Quarantines {@code failed}, which was rolled back to {@code back} for {@code why}, so that
   * checks no longer offer it. Never throws.
   */
  void quarantine(Version failed, String why, Optional<Version> back) {
    quarantine.add(failed, why, config.clock().instant(), back);
  }

  /**
   * After {@code to} became the live release by an install: lifts its quarantine (the operator
   * installed it by name) and drops the entries it outdates. Never throws.
   */
  void liftQuarantine(Version to) {
    try {
      quarantine.lift(to, Optional.of(to));
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not update the quarantine file {} after installing {}: {}",
          quarantine.file(), to, e.toString());
    }
  }

  FailureFile failure() {
    return failure;
  }

  Journal journal() {
    return journal;
  }

  History history() {
    return history;
  }

  Events events() {
    return events;
  }

  Downloader downloader() {
    return downloader;
  }

  Prefetcher prefetcher() {
    return prefetcher;
  }

  /** The journal record; an install without one, or with an unreadable one, reads as idle. */
  JournalRecord record() {
    try {
      return journal.read().orElseGet(() -> JournalRecord.idle(config.clock().instant()));
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot read the journal " + journal.file()
          + ": " + Failures.describe(e), e);
    }
  }

  /** The live release, as the activator reports it. */
  Optional<Version> active() {
    try {
      return config.activator().active();
    } catch (InvalidLayoutException e) {
      throw new UpdateException(Reason.INVALID_LAYOUT, null, Failures.describe(e), e);
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot tell which release is live in "
          + layout.home() + ": " + Failures.describe(e), e);
    }
  }

  /** Journals the start of an operation, run under {@code lease}, and announces it. */
  Run begin(Operation operation, Optional<Version> from, Version to, LeaseKeeper lease) {
    Optional<byte[]> before;
    try {
      before = journal.readRaw();
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot read the journal " + journal.file()
          + ": " + Failures.describe(e), e);
    }
    Run run = new Run(operation, from, to, config, journal, events, record(), before, lease);
    lease.begun();
    run.journal(null, r -> r.begin(operation, from, to, run.now()));
    LOG.info("{} started: {} -> {}", operation, from.map(Version::toString).orElse("(none)"), to);
    events.emit(new UpdateEvent.Started(operation, from, to));
    return run;
  }

  /** Journals, records and announces that {@code run} succeeded. */
  void complete(Run run, Optional<Version> newPrevious) {
    // Cleared before the journal records completion, so that a crash right after that write
    // cannot leave an earlier failure showing over the completed operation.
    try {
      failure.clear();
    } catch (IOException e) {
      LOG.warn("Could not clear the earlier failure record: {}", e.toString());
    }
    // The history first: a crash between the two writes leaves a success in the history and the
    // operation unfinished in the journal, which recovery then completes (see Recovery). The
    // other order would leave a completed journal that the history never mentions.
    history.append(Pipeline.entry(run, Outcome.SUCCEEDED, Optional.empty(),
        run.operation + " to " + run.to + " complete"));
    FaultPoints.hit("before-complete");
    run.journal(null, r -> r.complete(newPrevious, run.now()));
    FaultPoints.hit("after-complete");
    if (run.operation == Operation.INSTALL) {
      liftQuarantine(run.to);
    }
    LOG.info("{} complete: {} is live", run.operation, run.to);
    events.emit(new UpdateEvent.Completed(run.operation, run.from, run.to));
  }

  /**
   * Removes every staging directory (only the lock holder stages, so any there is this operation's
   * or a dead one's) and a release that {@code r} published but never activated.
   */
  void discardStaged(JournalRecord r) {
    try {
      FileTrees.deleteRecursively(stagingRoot());
      if (r.published() && r.to().isPresent() && !active().equals(r.to())) {
        FileTrees.deleteRecursively(layout.release(r.to().get()));
      }
    } catch (IOException | UpdateException e) {
      LOG.warn("Could not remove what a failed update staged; the next run cleans it: {}",
          e.toString());
    }
  }

  /** {@code .updater/staging}: the parent of every staging directory. */
  Path stagingRoot() {
    return layout.state().resolve("staging");
  }

  /** Where a failed operation leaves the journal. */
  enum Journaling {
    /** The install is back where it was: the journal gets its bytes from before the operation. */
    ENDED,
    /** The install could not be put back: the operation stays unfinished for the next start. */
    UNFINISHED
  }

  /** Records and announces a failed operation, leaving the journal as {@code journaling} says. */
  void announceFailure(Run run, UpdateException e, Outcome outcome, Journaling journaling) {
    try {
      if (journaling == Journaling.ENDED) {
        journal.restoreRaw(run.journalBefore());
      }
      failure.write(new UpdateStatus.Failure(e.reason(), e.step(), e.getMessage(), run.now()));
    } catch (IOException io) {
      LOG.error("Could not record the failure in {}", layout.state(), io);
    }
    LOG.warn("{} {} failed ({}): {}", run.operation, run.to, e.reason(), e.getMessage());
    history.append(Pipeline.entry(run, outcome, Optional.of(e.reason()), e.getMessage()));
    events.emit(new UpdateEvent.Failed(run.operation, run.from, run.to, e));
  }

  /**
   * Ends the operation {@code r} describes as put back ({@link JournalRecord#restored}), then
   * records {@code failure} (a failure to write it is only logged) and appends {@code entry} to
   * the history.
   *
   * @throws UpdateException {@code IO_ERROR} when the journal cannot be written
   */
  void endRestored(JournalRecord r, UpdateStatus.Failure failure, HistoryEntry entry) {
    try {
      journal.write(r.restored(failure.at()));
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot write the journal "
          + journal.file() + ": " + Failures.describe(e) + "; make " + layout.state()
          + " writable", e);
    }
    try {
      this.failure.write(failure);
    } catch (IOException e) {
      LOG.error("Could not record the failure in {}", layout.state(), e);
    }
    history.append(entry);
  }

  /**
   * Records that {@code failed} was put back by {@code back}, which then failed too ({@code
   * backFailure}): the failure record says so, with what to do, and the history gets an entry.
   * The journal is not touched (the operation already ended), so nothing retries or restarts on
   * its own. Never throws. Returns the message an operator is shown.
   */
  String operatorNeeded(Operation operation, Version failed, Version back, String why,
      UpdateException backFailure) {
    Instant now = config.clock().instant();
    String message = why + "; " + back + " was put back in place of " + failed + ", but "
        + backFailure.getMessage() + ". No release is known to work here, so the updater stopped:"
        + " it restarts and installs nothing on its own. Fix the cause, then repair the install"
        + " (restarts and checks " + back + " again), roll back to another kept release by name,"
        + " or install a release; any of them that succeeds ends this state";
    try {
      failure.writeOperatorNeeded(new UpdateStatus.Failure(backFailure.reason(),
          backFailure.step(), message, now));
    } catch (IOException e) {
      LOG.error("Could not record in {} that the install needs an operator", layout.state(), e);
    }
    LOG.error("Operator needed: {}", message);
    history.append(new HistoryEntry(now, operation, Optional.of(failed), Optional.of(back),
        Outcome.FAILED, Optional.of(backFailure.reason()), message));
    return message;
  }

  /** Records and announces an operation stopped because another took its lock; writes no state. */
  void announceLockLost(Run run, UpdateException e) {
    LOG.warn("{} {} stopped: {}", run.operation, run.to, e.getMessage());
    history.append(Pipeline.entry(run, Outcome.FAILED, Optional.of(e.reason()), e.getMessage()));
    events.emit(new UpdateEvent.Failed(run.operation, run.from, run.to, e));
  }
}
