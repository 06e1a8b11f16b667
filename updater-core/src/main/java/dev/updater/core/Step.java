package dev.updater.core;

/**
 * The steps of the update pipeline, in the order they run. Hooks attach before and after a step
 * ({@link Updater.Builder#before(Step, Hook)}), and events and errors name the step they concern.
 */
public enum Step {
  /** Gates: version order, requirements, compatibility, free disk space, activator preflight. */
  CHECK(Phase.CHECKING),
  /** Streams the artifact into {@code .updater/downloads/}, hashing as it goes. */
  DOWNLOAD(Phase.DOWNLOADING),
  /** Checks the size and SHA-256 of the downloaded artifact. */
  VERIFY(Phase.DOWNLOADING),
  /** Extracts the verified artifact into a fresh staging directory and publishes it as a release. */
  STAGE(Phase.EXTRACTING),
  /** Takes the guard snapshots (row counts, backups) that must exist before anything changes. */
  BACKUP(Phase.EXTRACTING),
  /** Makes the staged release the live one; the previous release is kept. */
  ACTIVATE(Phase.EXTRACTING),
  /** Brings the data forward and checks the guards. */
  MIGRATE(Phase.EXTRACTING),
  /** Gets the new code running. */
  RESTART(Phase.RESTARTING),
  /** Confirms the new version is healthy; rolls back when it is not. */
  CONFIRM(Phase.RESTARTING);

  private final Phase phase;

  Step(Phase phase) {
    this.phase = phase;
  }

  /** The phase this step reports as. */
  public Phase phase() {
    return phase;
  }
}
