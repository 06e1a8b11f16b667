package dev.updater.core;

/**
 * A host's own step, run before or after a pipeline {@link Step}: stop a worker before activation,
 * install dependencies in the staged tree, warm a cache after the restart.
 *
 * <p>A hook that throws stops the operation like any other failure, with reason
 * {@link UpdateException.Reason#HOOK_FAILED}; when it runs after activation, the previous release
 * is put back. Hooks run on the thread of the operation, in the order they were added.
 *
 * <pre>{@code
 * Updater.builder()
 *     .after(Step.STAGE, ctx -> run(ctx.releaseDir(), "npm", "ci", "--omit=dev"))
 *     .before(Step.ACTIVATE, ctx -> worker.pause())
 * }</pre>
 */
@FunctionalInterface
public interface Hook {

  /** Runs the host's step; throw to stop the update. */
  void run(UpdateContext context) throws Exception;
}
