package dev.updater.core.spi;

import dev.updater.core.UpdateContext;

/**
 * Confirms that the newly started release works: an HTTP endpoint answers, a command succeeds.
 *
 * <p>Called in the {@code CONFIRM} step after the restart. Throwing means unhealthy: the pipeline
 * puts the previous release back and restarts it. Implementations poll or wait as they need; they
 * should give up within a bounded time.
 *
 * <pre>{@code
 * HealthCheck check = ctx -> { if (!ping()) throw new IllegalStateException("no answer on /api/health"); };
 * }</pre>
 */
@FunctionalInterface
public interface HealthCheck {

  /** Always healthy. */
  HealthCheck NONE = context -> { };

  /** Returns when the release in {@code context} is healthy; throws otherwise. */
  void check(UpdateContext context) throws Exception;
}
