package dev.updater.spring.boot;

import dev.updater.core.UpdateException;
import dev.updater.core.UpdateScheduler;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Once the application is ready to serve ({@link ApplicationReadyEvent}), confirms the release it
 * runs ({@link Updater#confirm()}): an update that restarted into this release completes, or is
 * rolled back when its health check fails. An application that never gets ready never confirms,
 * so the release it was updated to is rolled back at its confirmation deadline. Then starts the
 * {@link UpdateScheduler}, so that no periodic check runs before the confirmation.
 *
 * <p>Called by Spring on the thread that started the application.
 */
final class UpdaterStartup implements ApplicationListener<ApplicationReadyEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(UpdaterStartup.class);

  private final Updater updater;
  private final boolean confirm;
  private final ObjectProvider<UpdateScheduler> scheduler;

  UpdaterStartup(Updater updater, boolean confirm, ObjectProvider<UpdateScheduler> scheduler) {
    this.updater = updater;
    this.confirm = confirm;
    this.scheduler = scheduler;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    if (confirm) {
      confirm();
    }
    scheduler.ifAvailable(UpdateScheduler::start);
  }

  private void confirm() {
    UpdateStatus status;
    try {
      status = updater.confirm();
    } catch (UpdateException e) {
      // The application runs; the confirmation deadline decides about a pending update.
      LOG.error("Could not confirm the running release at start-up: {}", e.getMessage(), e);
      return;
    }
    if (status.running().isEmpty()) {
      LOG.warn("This application does not say which version it runs, so it never confirms an"
          + " update: a release restarted into it is rolled back at its deadline{}; set"
          + " updater.running-version (or add build-info)",
          status.state() == UpdateStatus.State.AWAITING_CONFIRMATION
              ? " (" + status.target().map(Object::toString).orElse("one") + " awaits it now)"
              : "");
      return;
    }
    LOG.info("Update state at start-up: {} (live release {}, running {})", status.state(),
        status.installed().map(Object::toString).orElse("none"),
        status.running().map(Object::toString).orElse("unknown"));
  }
}
