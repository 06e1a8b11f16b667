package dev.updater.core.spi;

import dev.updater.core.Release;
import dev.updater.core.Version;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, before anything is downloaded, whether a release may be installed here: the database
 * provider it needs, a licence, a platform.
 *
 * <p>Called in the {@code CHECK} step of every install, and by {@code Updater.report()} to report
 * compatibility without installing. Must not change anything.
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

  /**
   * What this gate knows about the install, for the check report ({@code CheckReport.facts()}),
   * such as {@code database -> postgresql}; keys should be short and stable. Default: none.
   *
   * <p>Must not throw: a fact that cannot be found is reported as such (for example {@code
   * database -> unavailable: ...}). The report catches anything thrown and names the gate.
   */
  default Map<String, String> facts() {
    return Map.of();
  }
}
