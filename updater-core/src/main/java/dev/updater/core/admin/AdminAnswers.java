package dev.updater.core.admin;

import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Version;
import java.util.List;
import java.util.Optional;

/** The answers {@link UpdateAdmin} gives when it refuses or fails a request. Stateless. */
final class AdminAnswers {

  private AdminAnswers() {}

  static AdminResponse<AdminAnswer> conflict(String operation, String version, Reason reason,
      String message) {
    return new AdminResponse<>(AdminResponse.CONFLICT, new AdminAnswer(AdminAnswer.CONFLICT,
        operation, version, message, reason.name()));
  }

  /** The answer for an operation refused or failed with {@code e} before it started. */
  static AdminResponse<AdminAnswer> answer(String operation, String version,
      UpdateException e) {
    if (e.reason().isConflict()) {
      return conflict(operation, version, e.reason(), e.getMessage());
    }
    return new AdminResponse<>(statusOf(e), new AdminAnswer(AdminAnswer.ERROR, operation, version,
        e.getMessage(), e.reason().name()));
  }

  /** The HTTP status for {@code e}: 409 for a conflict, 502 for the source, 500 otherwise. */
  static int statusOf(UpdateException e) {
    if (e.reason().isConflict()) {
      return AdminResponse.CONFLICT;
    }
    if (e.reason() == Reason.SOURCE_UNAVAILABLE || e.reason() == Reason.VERIFICATION_FAILED) {
      return AdminResponse.BAD_GATEWAY;
    }
    return AdminResponse.ERROR;
  }

  /** The status body when the install's state cannot be read. */
  static AdminStatus unreadable(UpdateException e) {
    return new AdminStatus(null, null, false, null, false, null, null, null, null, "unknown",
        null, null, false, "error", State.FAILED.name(), null, null, false, AdminError.of(e),
        List.of(), null);
  }

  static String text(Optional<Version> version) {
    return version.map(Version::toString).orElse(null);
  }
}
