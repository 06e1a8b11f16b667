package dev.updater.core.admin;

import java.util.Objects;

/**
 * The body of {@link UpdateAdmin#progress()}: where the running or last operation stands, for a
 * panel that polls while an update runs.
 *
 * <pre>{@code
 * {"phase":"downloading","state":"IN_PROGRESS","operation":"install","step":"DOWNLOAD",
 *  "targetVersion":"1.1.0","installedVersion":"1.0.0","runningVersion":"1.0.0",
 *  "bytesDone":1048576,"bytesTotal":4194304,"running":true,"error":null}
 * }</pre>
 *
 * <p>Immutable and thread-safe. A JSON body: absent values are {@code null}.
 *
 * @param phase the phase's status name: {@code idle}, {@code checking}, {@code downloading},
 *     {@code extracting}, {@code restarting}, {@code complete} or {@code error}
 * @param state the {@link dev.updater.core.UpdateStatus.State} name
 * @param operation the operation this facade started last ({@code install}, {@code repair},
 *     {@code rollback}), if any
 * @param step the running or failed step's name, such as {@code DOWNLOAD}
 * @param targetVersion the version the operation aims at
 * @param installedVersion the version {@code current} points at
 * @param runningVersion the version this process runs, when the host told the builder
 * @param bytesDone bytes done in the running step, when this process runs it and counts bytes
 * @param bytesTotal the step's total bytes, when known
 * @param running true while an operation runs (here, or in another process holding the lock)
 * @param error the failure of the last operation, when it failed
 */
public record AdminProgress(
    String phase,
    String state,
    String operation,
    String step,
    String targetVersion,
    String installedVersion,
    String runningVersion,
    Long bytesDone,
    Long bytesTotal,
    boolean running,
    AdminError error) {

  public AdminProgress {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(state, "state");
  }
}
