package dev.updater.core;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Hook} or a port called during an operation is told about it: which operation and
 * step, from and to which version, and the release tree the step works on.
 *
 * <p>{@code releaseDir} is, for {@link Step#STAGE}, the private staging directory (it is published
 * as {@code releases/<to>/} only after the {@code after(STAGE)} hooks pass); for the later steps
 * {@code releases/<to>/}, or the release being returned to during a rollback.
 *
 * <p>Immutable and thread-safe.
 *
 * @param operation the operation running
 * @param step the step running
 * @param from the live version before the operation, if any
 * @param to the version the operation aims at
 * @param layout the install's directories
 * @param releaseDir the release tree the step works on
 */
public record UpdateContext(
    UpdateEvent.Operation operation, Step step, Optional<Version> from, Version to, Layout layout,
    Path releaseDir) {

  public UpdateContext {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(releaseDir, "releaseDir");
  }
}
