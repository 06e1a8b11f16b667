package dev.updater.core.internal;

import dev.updater.core.Layout;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Step;
import dev.updater.core.activate.PointerActivator;
import dev.updater.core.activate.SingleFileActivator;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Version;
import dev.updater.core.spi.Activator;
import dev.updater.core.spi.Lease;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.Restarter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The confirmation rule for a process that is not the host: the detached watcher and the launcher.
 * Reads the journal without the lock to see what awaits confirmation, and applies the rule
 * (deadline, crash-loop count, optionally counting a start) under the update lock, with the default
 * lock file and symbolic-link activation of the home. Not API.
 *
 * <p>Thread-safe as far as the lock makes it: one decision at a time per install.
 */
public final class Supervision {
  /** What {@link #settle} found and did. */
  public enum Result {
    /** A live process holds the lock: nothing was done. */
    BUSY,
    /** Nothing awaits confirmation and no operation is unfinished. */
    NOTHING,
    /** A release still awaits confirmation (a start may have been counted). */
    AWAITING,
    /** The awaited release was rolled back (and the previous one restarted). */
    ROLLED_BACK,
    /** An operation a dead process left unfinished was recovered. */
    RECOVERED
  }

  /**
   * What the journal says now.
   *
   * @param state the journal's state
   * @param to the version the operation aims at, if any
   * @param from the live version before it, if any
   * @param step the step it reached, if any
   * @param confirmBy the confirmation deadline, while awaiting confirmation across a restart
   * @param starts the unconfirmed starts counted so far
   */
  public record Snapshot(UpdateStatus.State state, Optional<Version> to, Optional<Version> from,
      Optional<Step> step, Optional<Instant> confirmBy, int starts) {

    /** True while the release {@link #to} awaits confirmation from its own new process. */
    public boolean awaitingConfirmation() {
      return state == UpdateStatus.State.AWAITING_CONFIRMATION && confirmBy.isPresent();
    }

    /** True while an operation has begun and not ended. */
    public boolean unfinished() {
      return state == UpdateStatus.State.IN_PROGRESS
          || state == UpdateStatus.State.AWAITING_CONFIRMATION;
    }
  }

  private final Layout layout;
  private final UpdaterConfig config;
  private final State state;
  private final Confirmation confirmation;
  private final Recovery recovery;

  private Supervision(UpdaterConfig config, String decider) {
    this.layout = config.layout();
    this.config = config;
    this.state = new State(config, new Events(List.of()));
    Reversal reversal = new Reversal(config, state);
    this.confirmation = new Confirmation(config, state, reversal, decider);
    this.recovery = new Recovery(state, config.clock(), confirmation, reversal);
  }

  /**
   * Supervision of the install at {@code home}: the rule allows {@code maxUnconfirmedStarts},
   * a rollback restarts through {@code restarter}, the lock is taken as {@code owner} for
   * {@code lockTtl}; {@code decider} names this process in rollback messages.
   */
  public static Supervision of(Path home, int maxUnconfirmedStarts, Restarter restarter,
      String owner, Duration lockTtl, String decider, Clock clock) {
    UpdaterConfig.Settings settings = new UpdaterConfig.Settings();
    settings.home = home;
    settings.source = NO_SOURCE;
    settings.activator = recordedActivator(Layout.of(home));
    settings.clock = clock;
    settings.lockTtl = lockTtl;
    settings.restarter = restarter;
    settings.maxUnconfirmedStarts = maxUnconfirmedStarts;
    settings.owner = owner;
    settings.minFreeBytes = 0;
    settings.freeSpaceFactor = 0;
    settings.checkCacheTtl = Duration.ZERO;
    return new Supervision(new UpdaterConfig(settings.withDefaults()), decider);
  }

  /**
   * The activator the home's files say it was installed with: the single-file activator when its
   * record is there, the pointer activator for a home with {@code current.txt} and no {@code
   * current} link, symbolic links otherwise. It never prunes: the host's own activator decides how
   * many releases to keep.
   */
  private static Activator recordedActivator(Layout layout) {
    Optional<SingleFileActivator> singleFile;
    try {
      singleFile = SingleFileActivator.recorded(layout);
    } catch (IOException e) {
      throw new UncheckedIOException("the single-file record of " + layout.home()
          + " cannot be read", e);
    }
    if (singleFile.isPresent()) {
      return SingleFileActivator.builder(layout, singleFile.get().target())
          .keep(Integer.MAX_VALUE).build();
    }
    return PointerActivator.isPointerHome(layout)
        ? PointerActivator.builder(layout).keep(Integer.MAX_VALUE).build()
        : SymlinkActivator.builder(layout).keep(Integer.MAX_VALUE).build();
  }

  /** The install's directories. */
  public Layout layout() {
    return layout;
  }

  /** The journal as it is now, read without the lock; an unreadable journal reads as idle. */
  public Snapshot snapshot() {
    JournalRecord r;
    try {
      r = state.journal().read().orElseGet(() -> JournalRecord.idle(config.clock().instant()));
    } catch (IOException e) {
      r = JournalRecord.idle(config.clock().instant());
    }
    return new Snapshot(r.state(), r.to(), r.from(), r.step(), r.confirmBy(), r.starts());
  }

  /** The live release. */
  public Optional<Version> active() {
    return state.active();
  }

  /** Whether {@link #settle} counts a start of the release awaiting confirmation. */
  public enum Start {
    /** Count one: a launcher is about to start the awaited release. */
    COUNT,
    /** Count none: the watcher only applies the deadline and the count so far. */
    DONT_COUNT
  }

  /**
   * Under the update lock: applies the confirmation rule to a release awaiting confirmation, or
   * recovers an operation a dead process left unfinished. With {@link Start#COUNT}, when the
   * awaited release is live and stays awaiting, counts one more start of it.
   *
   * @return {@link Result#BUSY} without doing anything when a live process holds the lock
   * @throws UpdateException when the rollback or the recovery failed
   */
  public Result settle(Start start) {
    Optional<Lease> lease;
    try {
      lease = config.lockStore().tryAcquire(config.owner(), config.lockTtl());
    } catch (IOException e) {
      throw new UpdateException(UpdateException.Reason.IO_ERROR, null, "cannot take the update"
          + " lock: " + Failures.describe(e), e);
    }
    if (lease.isEmpty()) {
      return Result.BUSY;
    }
    try {
      JournalRecord r;
      try {
        r = state.journal().read().orElse(null);
      } catch (Journal.CorruptJournalException e) {
        recovery.recover();
        return Result.RECOVERED;
      } catch (IOException e) {
        throw new UpdateException(UpdateException.Reason.IO_ERROR, null, "cannot read the journal "
            + state.journal().file() + ": " + Failures.describe(e), e);
      }
      if (r == null || !r.unfinished()) {
        return Result.NOTHING;
      }
      if (r.awaitsConfirmationAcrossRestart()) {
        Confirmation.Counting counting = start == Start.COUNT && state.active().equals(r.to())
            ? Confirmation.Counting.EVERY_CALL : Confirmation.Counting.ONCE_PER_PROCESS;
        return confirmation.decide(r, counting) ? Result.ROLLED_BACK : Result.AWAITING;
      }
      recovery.recover();
      return Result.RECOVERED;
    } finally {
      try {
        config.lockStore().release(lease.get());
      } catch (IOException e) {
        // It expires after lockTtl; nothing else to do here.
      }
    }
  }

  /** A source for a process that never reads releases. */
  private static final ReleaseSource NO_SOURCE = new ReleaseSource() {
    @Override
    public ReleaseIndex index(String channel) throws IOException {
      throw new IOException("the watcher and the launcher read no releases");
    }

    @Override
    public InputStream open(dev.updater.core.Artifact artifact, long offset) throws IOException {
      throw new IOException("the watcher and the launcher read no releases");
    }

    @Override
    public String describe() {
      return "(none)";
    }
  };
}
