package dev.updater.core.internal;

/**
 * Which gates of an install a caller waives on purpose, by the operation it called: an install
 * waives none, {@code installOutsideRollout} the staged rollout, a downgrade the version order and
 * the rollout (it names its release). Not API.
 */
enum Admission {
  /** Every gate applies: no older release, and only one whose rollout includes this install. */
  UPDATE(false, true),
  /** A release outside its staged rollout (or a halted one) is let through. */
  OUTSIDE_ROLLOUT(false, false),
  /** An older release is let through, whatever its rollout. */
  DOWNGRADE(true, false);

  private final boolean downgrade;
  private final boolean rollout;

  Admission(boolean downgrade, boolean rollout) {
    this.downgrade = downgrade;
    this.rollout = rollout;
  }

  /** True when a release older than the live one may be installed. */
  boolean allowsDowngrade() {
    return downgrade;
  }

  /** True when the release's staged rollout must include this install. */
  boolean checksRollout() {
    return rollout;
  }
}
