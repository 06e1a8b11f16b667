package dev.updater.core.spi;

import dev.updater.core.UpdateContext;

/**
 * Brings the data forward after a release has been activated: runs the new release's migration
 * command, applies SQL files, converts files in {@code shared/}.
 *
 * <p>Called once per install and repair, after activation, with the new release as
 * {@link UpdateContext#releaseDir()}. When it throws, the pipeline reverts the activation; a runner
 * should therefore leave the data either migrated or untouched (one transaction, or forward-only
 * steps that are safe to re-run).
 *
 * <pre>{@code
 * MigrationRunner runner = ctx -> exec(ctx.releaseDir(), "npx", "prisma", "migrate", "deploy");
 * }</pre>
 */
@FunctionalInterface
public interface MigrationRunner {

  /** A runner that has nothing to migrate. */
  MigrationRunner NONE = context -> { };

  /** Migrates the data to the release in {@code context}; throw when it fails. */
  void migrate(UpdateContext context) throws Exception;
}
