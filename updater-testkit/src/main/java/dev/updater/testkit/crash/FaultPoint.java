package dev.updater.testkit.crash;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The named points in the updater where a crash test can kill the process. A JVM started with the
 * system property {@value #PROPERTY} naming a point halts there at once, with exit status {@value
 * #HALT_STATUS}: no shutdown hooks, no finally blocks, nothing flushed, as {@code kill -9} would
 * leave it. Without the property each point costs one property read. {@link ChildJvm#haltAt}
 * starts such a JVM.
 *
 * <p>Which points an operation passes: an install passes the points of {@link #ofInstall()} in
 * that order (a delta install passes {@link #MID_DELTA} where an archive install passes {@link
 * #MID_DOWNLOAD} and {@link #MID_EXTRACT}; {@link #AFTER_WATCHER_START} only with a watcher, the
 * RESTART and CONFIRM points only with a restarter or a health check); {@code rollback()} passes
 * {@link #ofRollback()}, {@code repair()} {@link #ofRepair()}, {@code confirm()} in the restarted
 * process {@link #ofConfirmation()}, and putting an install back (after a failure, a missed
 * confirmation or a crash) {@link #AFTER_REVERT} and {@link #ROLLBACK_BEFORE_RESTART}.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(FaultPoint.class)
 * void convergesAfterAKillAt(FaultPoint point) {
 *   ChildJvm.of(InstallNewest.class, home.toString()).haltAt(point).run().requireHalted();
 *   ...
 * }
 * }</pre>
 *
 * <p>Points of your own (inside your migration runner or hook, in the child's code) use {@link
 * #hit(String)} with a name of your choosing.
 *
 * <p>Immutable and thread-safe.
 */
public enum FaultPoint {
  BEFORE_CHECK("before-CHECK"),
  AFTER_CHECK("after-CHECK"),
  BEFORE_DOWNLOAD("before-DOWNLOAD"),
  /** Inside the download of an archive, with a partial file on disk (to resume from). */
  MID_DOWNLOAD("mid-download"),
  AFTER_DOWNLOAD("after-DOWNLOAD"),
  BEFORE_VERIFY("before-VERIFY"),
  AFTER_VERIFY("after-VERIFY"),
  BEFORE_STAGE("before-STAGE"),
  /** Inside the extraction of an archive, with the staged tree half written. */
  MID_EXTRACT("mid-extract"),
  /**
   * Inside a delta install: the unchanged files hard-linked from the live release, the changed
   * ones not fetched yet.
   */
  MID_DELTA("mid-delta"),
  AFTER_STAGE("after-STAGE"),
  /** The staged tree forced to disk, not yet renamed to {@code releases/<version>}. */
  AFTER_EXTRACT_SYNC("after-extract-sync"),
  /** The staged tree renamed to {@code releases/<version>}, not yet live. */
  AFTER_PUBLISH("after-publish"),
  BEFORE_BACKUP("before-BACKUP"),
  AFTER_BACKUP("after-BACKUP"),
  /** The switch journalled, not yet made. */
  BEFORE_ACTIVATE("before-ACTIVATE"),
  /** Right after the switch: the new release is live, nothing else has run. */
  AFTER_SWAP("after-swap"),
  AFTER_ACTIVATE("after-ACTIVATE"),
  BEFORE_MIGRATE("before-MIGRATE"),
  AFTER_MIGRATE("after-MIGRATE"),
  /** The detached watcher started, the hand-over to the restarted process not yet journalled. */
  AFTER_WATCHER_START("after-watcher-start"),
  BEFORE_RESTART("before-RESTART"),
  AFTER_RESTART("after-RESTART"),
  BEFORE_CONFIRM("before-CONFIRM"),
  AFTER_CONFIRM("after-CONFIRM"),
  /** The history records the operation's success; the journal does not yet. */
  BEFORE_COMPLETE("before-complete"),
  /** The journal records the operation as complete; nothing after it has run. */
  AFTER_COMPLETE("after-complete"),
  /** Putting an install back: the previous release is live again, nothing recorded yet. */
  AFTER_REVERT("after-revert"),
  /** Putting an install back: recorded, the previous release not restarted yet. */
  ROLLBACK_BEFORE_RESTART("rollback-before-restart"),
  /** {@code confirm()} in the restarted process: the CONFIRM step journalled, not yet checked. */
  CONFIRM_BEFORE_CHECK("confirm-before-check"),
  /** {@code confirm()} in the restarted process: the journal records the confirmation. */
  CONFIRM_AFTER_COMPLETE("confirm-after-complete"),
  /** Single-file activation: the switch recorded and the live file kept, the new one not written. */
  SINGLE_FILE_BEFORE_RENAME("single-file-before-rename"),
  /** Single-file activation: the new file renamed over the live one, the record not yet updated. */
  SINGLE_FILE_AFTER_RENAME("single-file-after-rename"),
  /** Pointer-file activation: the switch decided, the new pointer not yet written. */
  POINTER_BEFORE_RENAME("pointer-before-rename");

  /** The system property that names the point a JVM halts at. */
  public static final String PROPERTY = "dev.updater.faultpoint";
  /** The exit status of a JVM halted at a fault point. */
  public static final int HALT_STATUS = 86;

  private final String id;

  FaultPoint(String id) {
    this.id = id;
  }

  /** The name the updater uses for this point, as {@value #PROPERTY} takes it. */
  public String id() {
    return id;
  }

  /** The point named {@code id}. */
  public static FaultPoint of(String id) {
    Objects.requireNonNull(id, "id");
    return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no fault point is named '" + id
            + "'; the names are those of FaultPoint.values()"));
  }

  /**
   * Every point an install of an archive passes, in order, with a restarter (so RESTART is
   * handed to the restarted process) and without a watcher; {@link #AFTER_COMPLETE} last.
   */
  public static List<FaultPoint> ofInstall() {
    return List.of(BEFORE_CHECK, AFTER_CHECK, BEFORE_DOWNLOAD, MID_DOWNLOAD, AFTER_DOWNLOAD,
        BEFORE_VERIFY, AFTER_VERIFY, BEFORE_STAGE, MID_EXTRACT, AFTER_STAGE, AFTER_EXTRACT_SYNC,
        AFTER_PUBLISH, BEFORE_BACKUP, AFTER_BACKUP, BEFORE_ACTIVATE, AFTER_SWAP, AFTER_ACTIVATE,
        BEFORE_MIGRATE, AFTER_MIGRATE, BEFORE_RESTART, AFTER_RESTART, BEFORE_CONFIRM,
        AFTER_CONFIRM, BEFORE_COMPLETE, AFTER_COMPLETE);
  }

  /** Every point a delta install passes, in order, as {@link #ofInstall()} otherwise. */
  public static List<FaultPoint> ofDeltaInstall() {
    return ofInstall().stream().filter(p -> p != MID_DOWNLOAD)
        .map(p -> p == MID_EXTRACT ? MID_DELTA : p).toList();
  }

  /** Every point {@code rollback()} passes, in order. */
  public static List<FaultPoint> ofRollback() {
    return List.of(BEFORE_ACTIVATE, AFTER_SWAP, AFTER_ACTIVATE, BEFORE_RESTART, AFTER_RESTART,
        BEFORE_CONFIRM, AFTER_CONFIRM, BEFORE_COMPLETE, AFTER_COMPLETE);
  }

  /** Every point {@code repair()} passes, in order. */
  public static List<FaultPoint> ofRepair() {
    return List.of(BEFORE_STAGE, AFTER_STAGE, BEFORE_BACKUP, AFTER_BACKUP, BEFORE_MIGRATE,
        AFTER_MIGRATE, BEFORE_RESTART, AFTER_RESTART, BEFORE_CONFIRM, AFTER_CONFIRM,
        BEFORE_COMPLETE, AFTER_COMPLETE);
  }

  /** Every point {@code confirm()} passes in the restarted process, in order. */
  public static List<FaultPoint> ofConfirmation() {
    return List.of(CONFIRM_BEFORE_CHECK, CONFIRM_AFTER_COMPLETE);
  }

  /**
   * Halts this JVM, as {@code kill -9} would, when it was started to halt at {@code name}
   * ({@value #PROPERTY}); otherwise returns at once. For points of your own in the code a child
   * runs, such as half-way through a migration.
   */
  public static void hit(String name) {
    Objects.requireNonNull(name, "name");
    if (name.equals(System.getProperty(PROPERTY))) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
