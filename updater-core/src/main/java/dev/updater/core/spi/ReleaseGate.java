package dev.updater.core.spi;

import dev.updater.core.Release;
import dev.updater.core.Version;
import java.util.Optional;

/**
 * Decides, before anything is downloaded, whether a release may be installed here: the database
 * provider it needs, a licence, a platform.
 *
 * <p>Called in the {@code CHECK} step of every install; also by {@code check()} to report
 * compatibility. Must not change anything.
 *
 * <pre>{@code
 * ReleaseGate postgresOnly = (release, installed) -> {
 *   if (!release.requirements().supportsDatabase("sqlite"))
 *     throw new IncompatibleReleaseException(release.version() + " does not support SQLite");
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ReleaseGate {

  /**
   * Returns when {@code release} may be installed over {@code installed}.
   *
   * @throws IncompatibleReleaseException saying why it may not
   */
  void check(Release release, Optional<Version> installed) throws Exception;
}
