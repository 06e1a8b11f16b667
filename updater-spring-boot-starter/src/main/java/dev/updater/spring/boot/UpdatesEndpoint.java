package dev.updater.spring.boot;

import dev.updater.core.UpdateScheduler;
import dev.updater.core.admin.AdminAnswer;
import dev.updater.core.admin.AdminResponse;
import dev.updater.core.admin.UpdateAdmin;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The Actuator endpoint {@code updates}: the {@link UpdateAdmin} of the install over HTTP, with
 * its statuses ({@code 202} started, {@code 200} done or nothing to do, {@code 409} refused
 * because of the install's state, {@code 400}, {@code 404}, {@code 502}) and JSON bodies.
 *
 * <pre>{@code
 * GET  /actuator/updates[?force=true]       status (force: read the source now)
 * GET  /actuator/updates/progress           progress of the running or last operation
 * POST /actuator/updates/check              check now (and pre-download in notify mode)
 * POST /actuator/updates/install            {"repair": false}: install the newest release
 * POST /actuator/updates/rollback           back to the previous release
 * POST /actuator/updates/clear-error        discard a failed status
 * POST /actuator/updates/unquarantine       {"version": "1.1.0"}: offer a release again
 * }</pre>
 *
 * <p>Read-only unless the application allows more: the write operations exist only with {@code
 * management.endpoint.updates.access=unrestricted}. Like every endpoint it is reachable over HTTP
 * only once exposed ({@code management.endpoints.web.exposure.include=updates}); secure it as
 * {@code docs/spring-boot.md} shows.
 *
 * <p>Thread-safe, as {@link UpdateAdmin} is.
 */
@WebEndpoint(id = "updates", defaultAccess = Access.READ_ONLY)
public class UpdatesEndpoint {
  /** The operations of {@link #operate}, in the order the error for an unknown one lists them. */
  static final List<String> OPERATIONS =
      List.of("check", "install", "rollback", "clear-error", "unquarantine");

  private final UpdateAdmin admin;
  private final Optional<UpdateScheduler> scheduler;

  /**
   * An endpoint over {@code admin}; {@code check} ticks {@code scheduler} when there is one (so
   * that notify mode pre-downloads what it finds), else reads the source through the admin API.
   */
  public UpdatesEndpoint(UpdateAdmin admin, Optional<UpdateScheduler> scheduler) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /** The install's status; with {@code force} the update source is read now. */
  @ReadOperation
  public WebEndpointResponse<Object> status(@Nullable Boolean force) {
    return web(admin.status(Boolean.TRUE.equals(force)));
  }

  /** {@code progress}: where the running or last operation stands. */
  @ReadOperation
  public WebEndpointResponse<Object> read(@Selector String part) {
    if (!part.equals("progress")) {
      return new WebEndpointResponse<>(new AdminAnswer(AdminAnswer.ERROR, part, null, "no such"
          + " part of the updates endpoint: read /updates or /updates/progress", null),
          AdminResponse.NOT_FOUND);
    }
    return web(admin.progress());
  }

  /**
   * One of the {@link #OPERATIONS}: {@code install} (with {@code repair}), {@code rollback},
   * {@code clear-error}, {@code unquarantine} (with {@code version}), or {@code check}.
   */
  @WriteOperation
  public WebEndpointResponse<Object> operate(@Selector String operation,
      @Nullable Boolean repair, @Nullable String version) {
    return switch (operation) {
      case "check" -> check();
      case "install" -> web(admin.install(Boolean.TRUE.equals(repair)));
      case "rollback" -> web(admin.rollback());
      case "clear-error" -> web(admin.clearError());
      case "unquarantine" -> version == null
          ? new WebEndpointResponse<>(new AdminAnswer(AdminAnswer.ERROR, operation, null,
              "give the version to offer again, as {\"version\": \"1.1.0\"}", null),
              AdminResponse.BAD_REQUEST)
          : web(admin.unquarantine(version));
      default -> new WebEndpointResponse<>(new AdminAnswer(AdminAnswer.ERROR, operation, null,
          "no such operation; the updates endpoint offers " + String.join(", ", OPERATIONS),
          null), AdminResponse.NOT_FOUND);
    };
  }

  /**
   * Checks now: a scheduler tick (which pre-downloads in notify mode and installs in auto mode)
   * when there is a scheduler, then the status as that check left it; {@code 409} while another
   * check runs.
   */
  private WebEndpointResponse<Object> check() {
    if (scheduler.isEmpty()) {
      return web(admin.status(true));
    }
    if (scheduler.get().tick() instanceof UpdateScheduler.Tick.Busy) {
      return new WebEndpointResponse<>(new AdminAnswer(AdminAnswer.CONFLICT, "check", null,
          "another update check is running; read the status when it is done", "LOCKED"),
          AdminResponse.CONFLICT);
    }
    return web(admin.status(false));
  }

  private static WebEndpointResponse<Object> web(AdminResponse<?> response) {
    return new WebEndpointResponse<>(response.body(), response.status());
  }
}
