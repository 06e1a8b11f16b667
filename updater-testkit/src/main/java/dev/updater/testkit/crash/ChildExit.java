package dev.updater.testkit.crash;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link ChildJvm} ended: its exit status and everything it printed.
 *
 * <pre>{@code
 * ChildExit exit = ChildJvm.of(InstallNewest.class, home.toString()).haltAt(point).run();
 * exit.requireHalted();             // fails the test, with the child's output, if it did not halt
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ChildExit {
  private final int status;
  private final String output;
  private final Optional<String> haltAt;
  private final boolean killed;

  ChildExit(int status, String output, Optional<String> haltAt, boolean killed) {
    this.status = status;
    this.output = Objects.requireNonNull(output, "output");
    this.haltAt = haltAt;
    this.killed = killed;
  }

  /** The exit status. */
  public int status() {
    return status;
  }

  /** Everything the child printed, standard output and error together. */
  public String output() {
    return output;
  }

  /** True when the child halted at its fault point (status {@value FaultPoint#HALT_STATUS}). */
  public boolean halted() {
    return haltAt.isPresent() && status == FaultPoint.HALT_STATUS && !killed;
  }

  /** True when the child was killed with SIGKILL by {@link ChildJvm#killAfter}. */
  public boolean killed() {
    return killed;
  }

  /** True when the child ended by itself with exit status 0. */
  public boolean succeeded() {
    return status == 0 && !killed;
  }

  /**
   * Returns this when the child halted at its fault point.
   *
   * @throws AssertionError naming the point, the status and the child's output otherwise (a child
   *     that never reached its point ends on its own)
   */
  public ChildExit requireHalted() {
    if (!halted()) {
      throw new AssertionError("the child did not halt at " + haltAt.orElse("(no fault point)")
          + ": it ended with status " + status + (killed ? " (killed)" : "") + "; it printed:\n"
          + output);
    }
    return this;
  }

  /**
   * Returns this when the child ended with status 0.
   *
   * @throws AssertionError with the status and the child's output otherwise
   */
  public ChildExit requireSucceeded() {
    if (!succeeded()) {
      throw new AssertionError("the child failed with status " + status
          + (killed ? " (killed)" : "") + "; it printed:\n" + output);
    }
    return this;
  }

  @Override
  public String toString() {
    return "ChildExit[status " + status + (halted() ? ", halted at " + haltAt.get() : "")
        + (killed ? ", killed" : "") + "]";
  }
}
