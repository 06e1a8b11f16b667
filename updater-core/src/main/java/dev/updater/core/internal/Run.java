package dev.updater.core.internal;

import dev.updater.core.Hook;
import dev.updater.core.Step;
import dev.updater.core.UpdateContext;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Version;
import dev.updater.core.spi.MigrationGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running operation: journals each change before it happens, runs a step with its hooks and
 * events, and turns whatever a port throws into an {@link UpdateException}. Not API.
 */
final class Run {
  private static final Logger LOG = LoggerFactory.getLogger(Run.class);

  /** The body of a step. */
  @FunctionalInterface
  interface Body<T> {
    T run(UpdateContext context) throws Exception;
  }

  final Operation operation;
  final Optional<Version> from;
  final Version to;
  private final UpdaterConfig config;
  private final Journal journal;
  private final Events events;
  private final Optional<byte[]> journalBefore;
  private final LeaseKeeper lease;
  private JournalRecord record;
  private List<MigrationGuard.Check> guardChecks = List.of();

  Run(Operation operation, Optional<Version> from, Version to, UpdaterConfig config,
      Journal journal, Events events, JournalRecord record, Optional<byte[]> journalBefore,
      LeaseKeeper lease) {
    this.operation = operation;
    this.from = from;
    this.to = to;
    this.config = config;
    this.journal = journal;
    this.events = events;
    this.record = record;
    this.journalBefore = journalBefore;
    this.lease = lease;
  }

  /** The checks the guards' snapshots returned, once the BACKUP step has taken them. */
  List<MigrationGuard.Check> guardChecks() {
    return guardChecks;
  }

  void guardChecks(List<MigrationGuard.Check> checks) {
    this.guardChecks = List.copyOf(checks);
  }

  /** True when another process took the lock over: nothing may be touched any more. */
  boolean lockLost() {
    return lease.lost();
  }

  /** The journal's bytes from before this operation began, to put back when it fails. */
  Optional<byte[]> journalBefore() {
    return journalBefore;
  }

  JournalRecord record() {
    return record;
  }

  Instant now() {
    return config.clock().instant();
  }

  /** Writes the changed journal record, or fails the step that asked for it. */
  void journal(Step step, UnaryOperator<JournalRecord> change) {
    JournalRecord next = change.apply(record);
    try {
      journal.write(next);
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, step, "cannot write the journal "
          + journal.file() + ": " + Failures.describe(e) + "; no further step was taken. Make "
          + config.layout().state() + " writable and try again", e);
    }
    record = next;
  }

  void emit(UpdateEvent event) {
    events.emit(event);
  }

  void progress(Step step, long done, long total) {
    events.emit(new UpdateEvent.Progress(operation, step, done,
        total < 0 ? OptionalLong.empty() : OptionalLong.of(total)));
  }

  UpdateContext context(Step step, Path releaseDir) {
    return new UpdateContext(operation, step, from, to, config.layout(), releaseDir);
  }

  /**
   * Runs {@code step}: lease renewal, journal, {@code before} hooks, the body, {@code after} hooks, events. Any
   * failure is thrown as an {@link UpdateException} naming the step.
   */
  <T> T step(Step step, Path releaseDir, Body<T> body) {
    FaultPoints.hit("before-" + step);
    lease.renewBefore(step);
    journal(step, r -> r.atStep(step, now()));
    LOG.info("{} {}: {} ({})", operation, to, step, step.phase().statusName());
    events.emit(new UpdateEvent.StepStarted(operation, step, to));
    UpdateContext context = context(step, releaseDir);
    runHooks(step, "before", config.before(step), context);
    T result;
    try {
      result = body.run(context);
    } catch (Exception e) {
      throw Failures.translate(step, to, e);
    }
    runHooks(step, "after", config.after(step), context);
    events.emit(new UpdateEvent.StepCompleted(operation, step, to));
    FaultPoints.hit("after-" + step);
    return result;
  }

  private void runHooks(Step step, String when, Iterable<Hook> hooks, UpdateContext context) {
    for (Hook hook : hooks) {
      try {
        hook.run(context);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new UpdateException(Reason.HOOK_FAILED, step, "a hook " + when + " " + step
            + " of " + to + " failed: " + Failures.describe(e), e);
      }
    }
  }
}
