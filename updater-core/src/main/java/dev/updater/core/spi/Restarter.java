package dev.updater.core.spi;

import dev.updater.core.UpdateContext;

/**
 * Gets the newly activated code running: restarts a service, asks a supervisor, or ends the
 * process so that a supervisor starts it again.
 *
 * <p>Called after migration (and again after a rollback) with the release now live. A restarter
 * that ends the current process does not return; the journal already records that the new release
 * awaits confirmation, so the next start finishes the update.
 *
 * <pre>{@code
 * Restarter restarter = ctx -> exec("systemctl", "--user", "restart", "myapp");
 * }</pre>
 */
@FunctionalInterface
public interface Restarter {

  /** Does nothing: the host restarts itself, or needs no restart (it loads code per request). */
  Restarter NONE = context -> { };

  /** Restarts into the live release; throw when it cannot. */
  void restart(UpdateContext context) throws Exception;
}
