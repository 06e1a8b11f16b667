package dev.updater.core.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends a process and every process it started: the descendants are listed first (once the process
 * is gone its children no longer descend from it), all are asked to terminate, and those still
 * running after the grace period are killed forcibly.
 *
 * <p>Stateless and thread-safe.
 */
final class ProcessTree {
  private ProcessTree() {}

  /**
   * Ends {@code process} and its descendants, waiting at most {@code grace} for them to terminate
   * on request before killing the rest. When this thread is interrupted meanwhile, it kills at
   * once and keeps the interrupt flag set.
   */
  static void end(Process process, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      for (ProcessHandle handle : tree) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // still running after the grace period: killed below
    }
    for (ProcessHandle handle : tree) {
      if (handle.isAlive()) {
        handle.destroyForcibly();
      }
    }
  }
}
