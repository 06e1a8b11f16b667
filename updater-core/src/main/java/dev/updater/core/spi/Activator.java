package dev.updater.core.spi;

import dev.updater.core.Version;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Makes a published release the live one, and tells which one is live.
 *
 * <p>Call order in an install: {@link #preflight()} (before anything is downloaded),
 * {@link #prepare} (on the staged tree, before it is published as {@code releases/<version>/}),
 * {@link #activate} (on the published release). A rollback calls {@link #activate} with the
 * previous version; undoing a first install calls {@link #deactivate()}.
 *
 * <p>{@link #activate} must be atomic (an observer sees the old or the new release, never neither)
 * and idempotent (activating the live release again changes nothing), because crash recovery may
 * repeat it. The pipeline serialises calls under the update lock.
 */
public interface Activator {

  /**
   * Checks, without changing anything, that a switch can be done safely here (layout, atomic
   * rename on this file system).
   *
   * @throws InvalidLayoutException when the install directory is not in a switchable state
   */
  default void preflight() throws IOException {}

  /** Prepares a staged tree before it is published, for example by linking shared paths into it. */
  default void prepare(Path stagedTree, Version version) throws IOException {}

  /** The live release, if any. */
  Optional<Version> active() throws IOException;

  /** Makes {@code releases/<version>/} the live release, atomically. */
  void activate(Version version) throws IOException;

  /** Leaves no release live (undoes a first install). */
  void deactivate() throws IOException;
}
