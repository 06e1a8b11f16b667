package dev.updater.core.admin;

import static dev.updater.core.admin.AdminAnswers.text;

import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import java.util.Optional;

/**
 * The body of {@link UpdateAdmin#progress()}: the updater's status, completed with the job started
 * here while the journal does not show it yet (not begun, or refused before it began). Stateless.
 */
final class AdminProgressView {

  private AdminProgressView() {}

  static AdminResponse<AdminProgress> progress(Updater updater, AdminJobs.Job j) {
    UpdateStatus st;
    try {
      st = updater.status();
    } catch (UpdateException e) {
      AdminError error = AdminError.of(e);
      return new AdminResponse<>(AdminResponse.ERROR, new AdminProgress("error", "FAILED",
          j == null ? null : j.operation, null, null, null, null, null, null, false, error));
    }
    boolean busy = st.state() == State.IN_PROGRESS || st.state() == State.AWAITING_CONFIRMATION;
    boolean jobRunning = j != null && !j.done;
    // The journal unchanged since the job was started: it has not begun (or was refused).
    boolean untouched = j != null && st.updatedAt().equals(j.journalBefore);
    String phase = st.phase().statusName();
    String state = st.state().name();
    Optional<AdminError> error = st.error().map(AdminError::of);
    Optional<Version> target = st.target();
    // No journal at all reads as a fresh idle record: the job cannot have begun either.
    boolean notBegun = untouched || st.state() == State.IDLE;
    if (j != null && notBegun && jobRunning && !busy && st.state() != State.FAILED) {
      phase = "checking";
      state = State.IN_PROGRESS.name();
      target = j.target;
    } else if (j != null && notBegun && !jobRunning && j.error != null
        && st.state() != State.FAILED) {
      phase = "error";
      state = State.FAILED.name();
      target = j.target;
      error = Optional.of(AdminError.of(j.error));
    }
    var bytes = st.progress();
    AdminProgress body = new AdminProgress(phase, state, j == null ? null : j.operation,
        st.step().map(Enum::name).orElse(null), text(target), text(st.installed()),
        text(st.running()), bytes.map(p -> p.done()).orElse(null),
        bytes.flatMap(p -> p.total().isPresent() ? Optional.of(p.total().getAsLong())
            : Optional.empty()).orElse(null),
        busy || jobRunning, error.orElse(null));
    return new AdminResponse<>(AdminResponse.OK, body);
  }
}
