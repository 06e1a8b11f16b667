package dev.updater.spring.boot;

import dev.updater.core.Updater;

/**
 * Adjusts the {@link Updater.Builder} of the auto-configuration after the {@code updater.*}
 * properties and the application's port beans were applied, for what no property says (a clock,
 * free-space limits, hooks, a watcher). Every customizer bean runs, in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * UpdaterBuilderCustomizer updaterHooks(Backup backup) {
 *   return builder -> builder.before(Step.ACTIVATE, ctx -> backup.copyData());
 * }
 * }</pre>
 *
 * <p>Called once, on the thread that builds the application context.
 */
@FunctionalInterface
public interface UpdaterBuilderCustomizer {

  /** Adjusts {@code builder}; the updater is built right after the last customizer returns. */
  void customize(Updater.Builder builder);
}
