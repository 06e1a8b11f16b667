package dev.updater.core.admin;

import java.util.List;
import java.util.Objects;

/**
 * The body of {@link UpdateAdmin#status(boolean)}: what a "Software Updates" panel shows.
 *
 * <pre>{@code
 * {"runningVersion":"1.0.0","installedVersion":"1.0.0","restartRequired":false,
 *  "latestVersion":"1.1.0","updateAvailable":true,"releaseNotes":"Adds exports",
 *  "databaseProvider":"sqlite","databaseCompatible":true,"compatibilityReason":null,
 *  "mode":"notify","lastCheck":"2026-11-23T12:00:00Z","checkError":null,
 *  "awaitingApproval":true,"phase":"idle","state":"IDLE","targetVersion":null,
 *  "previousVersion":null,"canRollBack":false,"error":null,"quarantined":[],"revoked":null}
 * }</pre>
 *
 * <p>Immutable and thread-safe. A JSON body: absent values are {@code null}.
 *
 * @param runningVersion the version this process runs, when the host told the builder
 * @param installedVersion the version {@code current} points at
 * @param restartRequired true when the installed version differs from the running one
 * @param latestVersion the newest release the last check found newer than the installed one
 * @param updateAvailable true when {@code latestVersion} is set
 * @param releaseNotes the notes of the latest release, when one is available
 * @param databaseProvider the install's database provider (such as {@code postgresql}), when a
 *     gate reports it
 * @param databaseCompatible whether the latest release may be installed here (its gates pass),
 *     or null when no release is available or it was not judged
 * @param compatibilityReason why it may not be installed, when it may not
 * @param mode the update mode: {@code notify}, {@code auto} or {@code disabled}
 * @param lastCheck when the update source was last checked (ISO-8601), if ever
 * @param checkError why the last check failed, when it did (the rest shows the last good one)
 * @param awaitingApproval true when the latest release is pre-downloaded and waits for approval
 * @param phase the phase's status name: {@code idle}, {@code checking}, {@code downloading},
 *     {@code extracting}, {@code restarting}, {@code complete} or {@code error}
 * @param state the {@link dev.updater.core.UpdateStatus.State} name
 * @param targetVersion the version the running or last operation aimed at
 * @param previousVersion the release a rollback returns to, when one is recorded
 * @param canRollBack true when a rollback may start now
 * @param error the failure of the last operation, when it failed
 * @param quarantined the releases rolled back after they went live, which are no longer offered
 *     (see {@link UpdateAdmin#unquarantine(String)}); empty when none
 * @param revoked the publisher's revocation of the installed release, when it revoked it: show
 *     it prominently (in auto mode the scheduler rolls back from it); null when not revoked
 */
public record AdminStatus(
    String runningVersion,
    String installedVersion,
    boolean restartRequired,
    String latestVersion,
    boolean updateAvailable,
    String releaseNotes,
    String databaseProvider,
    Boolean databaseCompatible,
    String compatibilityReason,
    String mode,
    String lastCheck,
    String checkError,
    boolean awaitingApproval,
    String phase,
    String state,
    String targetVersion,
    String previousVersion,
    boolean canRollBack,
    AdminError error,
    List<AdminQuarantine> quarantined,
    AdminRevocation revoked) {

  public AdminStatus {
    quarantined = List.copyOf(quarantined);
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(state, "state");
  }
}
