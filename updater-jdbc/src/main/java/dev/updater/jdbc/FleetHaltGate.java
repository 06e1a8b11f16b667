package dev.updater.jdbc;

import dev.updater.core.Release;
import dev.updater.core.Version;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.ReleaseGate;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a fleet stop a bad release by itself: when at least {@code failures} of the first
 * {@code ofFirst} nodes that tried a release (activated it, as {@link FleetStatus} records) failed
 * or rolled it back, every other node refuses it before downloading it, with
 * {@link IncompatibleReleaseException} ("halted: 2 of the first 5 nodes that tried 1.2.0 rolled it
 * back: web-1: ..., web-2: ..."), which the pipeline reports as
 * {@link dev.updater.core.UpdateException.Reason#INCOMPATIBLE}.
 *
 * <pre>{@code
 * FleetStatus fleet = FleetStatus.create(dataSource, nodeId);
 * Updater updater = Updater.builder()
 *     .home(home)
 *     .source(source)
 *     .listener(fleet.listener())
 *     .gate(FleetHaltGate.of(fleet, 2, 5))
 *     .build();
 * FleetHaltGate.of(fleet, 2, 5).halted(release.version()).ifPresent(panel::showWarning);
 * }</pre>
 *
 * <p>Only the first {@code ofFirst} tries count, so later failures (of nodes that ignored the halt,
 * or of a fixed environment) never halt a release that went well on the first nodes; a release is
 * published again under a new version to be tried again. A node still trying does not count
 * either way. When the fleet table cannot be read the check fails (the update does not start).
 *
 * <p>Immutable and thread-safe.
 */
public final class FleetHaltGate implements ReleaseGate {
  private static final Logger LOG = LoggerFactory.getLogger(FleetHaltGate.class);

  private final FleetStatus fleet;
  private final int failures;
  private final int ofFirst;

  private FleetHaltGate(FleetStatus fleet, int failures, int ofFirst) {
    this.fleet = fleet;
    this.failures = failures;
    this.ofFirst = ofFirst;
  }

  /**
   * Halts a release when {@code failures} of the first {@code ofFirst} nodes that tried it failed.
   *
   * @throws IllegalArgumentException unless {@code 1 <= failures <= ofFirst}
   */
  public static FleetHaltGate of(FleetStatus fleet, int failures, int ofFirst) {
    Objects.requireNonNull(fleet, "fleet");
    if (failures < 1 || failures > ofFirst) {
      throw new IllegalArgumentException("halt after 1 to " + ofFirst + " failures of the first "
          + ofFirst + " nodes, was " + failures);
    }
    return new FleetHaltGate(fleet, failures, ofFirst);
  }

  /**
   * Why {@code version} is halted, or empty when it is not; for a status page beside
   * {@code check()}.
   */
  public Optional<String> halted(Version version) throws DatabaseUnavailableException, SQLException {
    Objects.requireNonNull(version, "version");
    List<FleetStatus.Attempt> first = fleet.attempts(version).stream().limit(ofFirst).toList();
    List<FleetStatus.Attempt> failed = first.stream().filter(a -> a.result().failed()).toList();
    if (failed.size() < failures) {
      return Optional.empty();
    }
    return Optional.of("halted: " + failed.size() + " of the first " + ofFirst
        + " nodes that tried " + version + " rolled it back ("
        + failed.stream().map(a -> a.nodeId() + " " + a.result()).collect(Collectors.joining(", "))
        + "); see the fleet table for their errors, and publish a fixed release under a new"
        + " version");
  }

  @Override
  public void check(Release release, Optional<Version> installed)
      throws IncompatibleReleaseException, DatabaseUnavailableException, SQLException {
    Objects.requireNonNull(release, "release");
    Optional<String> why = halted(release.version());
    if (why.isPresent()) {
      LOG.warn("Not installing {} on {}: {}", release.version(), fleet.nodeId(), why.get());
      throw new IncompatibleReleaseException(why.get());
    }
  }

  @Override
  public String toString() {
    return "FleetHaltGate[" + failures + " of the first " + ofFirst + "]";
  }
}
