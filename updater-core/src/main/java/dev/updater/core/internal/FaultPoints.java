package dev.updater.core.internal;

/**
 * Named points in the pipeline where a crash test can kill the process: when the system property
 * {@code dev.updater.faultpoint} names a point, the JVM halts there at once (no shutdown hooks, no
 * finally blocks), as {@code kill -9} would. Without the property this is a single property read.
 * Used by crash tests, which run the updater in a child JVM: the testkit's {@code FaultPoint}
 * names every point for hosts (keep the two in step). Not API.
 */
public final class FaultPoints {
  static final String PROPERTY = "dev.updater.faultpoint";
  /** The exit status of a halted child, so a test can tell the halt from other exits. */
  static final int HALT_STATUS = 86;

  private FaultPoints() {}

  public static void hit(String name) {
    if (name.equals(System.getProperty(PROPERTY))) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
