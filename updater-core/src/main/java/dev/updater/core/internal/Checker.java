package dev.updater.core.internal;

import dev.updater.core.CheckReport;
import dev.updater.core.QuarantinedRelease;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Revocation;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Version;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.ReleaseGate;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the channel's index for {@code check}, {@code find} and {@code report}: freshness through
 * {@link TrustState}, the check cache, the rollout and quarantine filters, and the compatibility
 * and facts of the report. Not API.
 *
 * <p>Thread-safe: the cache is one atomic reference; two threads missing it at once both read the
 * source, and the later one's index is kept.
 */
final class Checker {
  private static final Logger LOG = LoggerFactory.getLogger(Checker.class);

  /** An index as read and accepted, and when. */
  private record Fetched(ReleaseIndex index, Instant at, boolean cached) {}

  private final UpdaterConfig config;
  private final State state;
  private final Gates gates;
  private final TrustState trust;
  private final Rollout rollout;
  private final AtomicReference<Fetched> cache = new AtomicReference<>();

  /** Where a check reads the channel's index from. */
  enum Read {
    /** The cached index while it is younger than the cache's lifetime, else the source. */
    CACHE_FIRST,
    /** The source, whatever the cache holds. */
    SOURCE;

    /** {@link #SOURCE} when {@code force}, as the API's {@code check(boolean force)} takes it. */
    static Read forced(boolean force) {
      return force ? SOURCE : CACHE_FIRST;
    }
  }

  Checker(UpdaterConfig config, State state, Gates gates, Rollout rollout, TrustState trust) {
    this.config = config;
    this.state = state;
    this.gates = gates;
    this.trust = trust;
    this.rollout = rollout;
  }

  Optional<Release> check(Read read) {
    Optional<Version> installed = state.active();
    Fetched fetched = fetch(read);
    Optional<Release> newest = update(fetched.index(), installed, skipped(fetched.index(),
        installed));
    LOG.info("Checked {} channel '{}' (serial {}{}): installed {}, newest available {}",
        config.source().describe(), config.channel(), fetched.index().serial(),
        fetched.cached() ? ", cached from " + fetched.at() : "",
        installed.map(Version::toString).orElse("(none)"),
        newest.map(r -> r.version().toString()).orElse("(none newer)"));
    return newest;
  }

  /**
   * The release with {@code version}, read from the source (never from the cache).
   *
   * @throws UpdateException {@code INCOMPATIBLE} when its publisher revoked it
   */
  Optional<Release> find(Version version) {
    ReleaseIndex index = fetch(Read.SOURCE).index();
    Optional<Revocation> revoked = index.revocation(version);
    if (revoked.isPresent()) {
      throw refusal(revoked.get(), null);
    }
    return index.find(version);
  }

  /** The refusal to install a release its publisher revoked, in {@code step} when in one. */
  static UpdateException refusal(Revocation revoked, Step step) {
    return new UpdateException(Reason.INCOMPATIBLE, step, revoked.version() + " was revoked by"
        + " its publisher on " + revoked.revokedAt() + " (" + revoked.reason() + ") and is not"
        + " installed; install a newer release instead", null);
  }

  CheckReport report(Read read) {
    Optional<Version> installed = state.active();
    Optional<Version> running = config.runningVersion();
    Fetched fetched = fetch(read);
    Optional<Release> latest = fetched.index().releases().stream()
        .filter(r -> r.channel().equals(config.channel()))
        .filter(r -> fetched.index().revocation(r.version()).isEmpty())
        .filter(this::inRollout)
        .max(Comparator.comparing(Release::version));
    List<QuarantinedRelease> skipped = skipped(fetched.index(), installed);
    Optional<Release> update = update(fetched.index(), installed, skipped);
    Optional<String> incompatibility = update.flatMap(r -> incompatibility(r, installed));
    boolean restartPending = running.isPresent() && installed.isPresent()
        && !running.get().equals(installed.get());
    CheckReport report = new CheckReport(config.channel(), config.source().describe(), running,
        installed, restartPending, latest.map(Release::version), update, update.isPresent(),
        incompatibility.isEmpty(), incompatibility, skipped, facts(), fetched.at(),
        fetched.cached(), fetched.index().revoked());
    report.installedRevocation().ifPresent(r -> LOG.warn("The installed {} was revoked by its"
        + " publisher on {}: {}", r.version(), r.revokedAt(), r.reason()));
    LOG.info("Check report for channel '{}': installed {}, running {}, latest {}, update {}{}",
        config.channel(), installed.map(Version::toString).orElse("(none)"),
        running.map(Version::toString).orElse("(unknown)"),
        report.latest().map(Version::toString).orElse("(none)"),
        update.map(r -> r.version().toString()).orElse("(none)"),
        incompatibility.map(why -> ", incompatible: " + why).orElse(""));
    return report;
  }

  /**
   * The newest release newer than {@code installed} that is offered to this install (in its
   * rollout, not revoked, with an artifact for its platform) and not {@code skipped}.
   */
  private Optional<Release> update(ReleaseIndex index, Optional<Version> installed,
      List<QuarantinedRelease> skipped) {
    Set<Version> quarantined = skipped.stream().map(QuarantinedRelease::version)
        .collect(Collectors.toSet());
    return index.releases().stream()
        .filter(r -> r.channel().equals(config.channel()))
        .filter(r -> installed.map(v -> r.version().isNewerThan(v)).orElse(true))
        .filter(r -> !quarantined.contains(r.version()))
        .filter(r -> index.revocation(r.version()).isEmpty())
        .filter(this::inRollout)
        .filter(this::forThisPlatform)
        .max(Comparator.comparing(Release::version));
  }

  /** Whether {@code release} has an artifact this install can take; logs it when not. */
  private boolean forThisPlatform(Release release) {
    if (release.forPlatform(config.platform()).isPresent()) {
      return true;
    }
    LOG.info("{} is not offered: it has no artifact for this platform, {} (it has {})",
        release.version(), config.platform(), release.platforms());
    return false;
  }

  /**
   * The quarantined releases a check passes over: listed on the channel and newer than {@code
   * installed}; logs each.
   */
  private List<QuarantinedRelease> skipped(ReleaseIndex index, Optional<Version> installed) {
    List<QuarantinedRelease> quarantined = state.quarantine().above(installed);
    if (quarantined.isEmpty()) {
      return List.of();
    }
    Set<Version> listed = index.releases().stream()
        .filter(r -> r.channel().equals(config.channel()))
        .map(Release::version).collect(Collectors.toSet());
    List<QuarantinedRelease> skipped = quarantined.stream()
        .filter(q -> listed.contains(q.version())).toList();
    for (QuarantinedRelease q : skipped) {
      LOG.info("Skipping {}: it is quarantined since {} ({}); install it by name or lift the "
          + "quarantine to have it offered again", q.version(), q.at(), q.reason());
    }
    return skipped;
  }

  /** Why {@code release} cannot be installed here, or empty when the rule and every gate agree. */
  private Optional<String> incompatibility(Release release, Optional<Version> installed) {
    try {
      gates.checkCompatibility(release, installed);
      return Optional.empty();
    } catch (IncompatibleReleaseException | UpdateException e) {
      return Optional.of(e.getMessage());
    } catch (Exception e) {
      LOG.warn("A gate could not decide whether {} is compatible", release.version(), e);
      return Optional.of("could not be checked: " + Failures.describe(e));
    }
  }

  /** The facts of every gate, in order; a gate that throws is reported under its class name. */
  private Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    for (ReleaseGate gate : config.gates()) {
      try {
        facts.putAll(gate.facts());
      } catch (RuntimeException e) {
        LOG.warn("The gate {} failed to report its facts", gate, e);
        facts.put(gate.getClass().getSimpleName(), "facts unavailable: " + Failures.describe(e));
      }
    }
    return facts;
  }

  /** Whether {@code release} is offered to this install by its staged rollout; logs when not. */
  private boolean inRollout(Release release) {
    if (release.rollout() == Release.FULL_ROLLOUT) {
      return true;
    }
    if (release.rollout() == 0) {
      LOG.info("Skipping {}: its rollout is halted (0%)", release.version());
      return false;
    }
    int bucket = rollout.bucket(release.version());
    if (bucket >= release.rollout()) {
      LOG.info("Skipping {}: it is in a staged rollout to {}% of installs, and this install's "
          + "bucket for it is {}", release.version(), release.rollout(), bucket);
      return false;
    }
    return true;
  }

  /**
   * The channel's index: the cached one when {@code read} allows it and it was read less than the
   * cache's lifetime ago (and it still passes the freshness rules now), else read from the source.
   */
  private Fetched fetch(Read read) {
    Instant now = config.clock().instant();
    Fetched cached = cache.get();
    if (read == Read.CACHE_FIRST && cached != null && !config.checkCacheTtl().isZero()
        && !now.isBefore(cached.at()) && now.isBefore(cached.at().plus(config.checkCacheTtl()))) {
      try {
        trust.accept(cached.index(), now, TrustState.Expiry.of(config.requireExpiry()),
            config.source().describe());
        return new Fetched(cached.index(), cached.at(), true);
      } catch (UpdateException e) {
        // Expired since, or another process trusted a newer index: read the source again.
        LOG.info("The cached index of channel '{}' is no longer usable ({}); reading the source",
            config.channel(), e.getMessage());
        cache.compareAndSet(cached, null);
      }
    }
    ReleaseIndex index = read(now);
    state.revocations().remember(index.revoked());
    Fetched fresh = new Fetched(index, now, false);
    if (!config.checkCacheTtl().isZero()) {
      cache.set(fresh);
    }
    return fresh;
  }

  /**
   * Reads the channel's index and checks that it is fresh as of {@code startedAt}, the time the
   * operation started (see {@link TrustState}); remembers it when it is newer than the last one.
   */
  private ReleaseIndex read(Instant startedAt) {
    String where = config.source().describe();
    ReleaseIndex index;
    try {
      index = config.source().index(config.channel());
      if (!index.channel().equals(config.channel())) {
        throw new UpdateException(Reason.VERIFICATION_FAILED, null, where + " answered the index of"
            + " channel '" + index.channel() + "' when asked for '" + config.channel() + "'", null);
      }
      if (config.application().isPresent()
          && !index.application().equals(config.application().get())) {
        throw new UpdateException(Reason.VERIFICATION_FAILED, null, where + " answered an index "
            + "for the application '" + index.application() + "', not '"
            + config.application().get() + "': the source serves another product's releases; "
            + "check the source's address (nothing was installed or remembered)", null);
      }
    } catch (NoSuchFileException e) {
      throw new UpdateException(Reason.SOURCE_UNAVAILABLE, null, "channel '" + config.channel()
          + "' is not published at " + where + ": " + Failures.describe(e), e);
    } catch (VerificationException e) {
      throw new UpdateException(Reason.VERIFICATION_FAILED, null, "the index of channel '"
          + config.channel() + "' at " + where + " is not valid: " + Failures.describe(e), e);
    } catch (IOException e) {
      throw new UpdateException(Reason.SOURCE_UNAVAILABLE, null, "cannot read " + where + ": "
          + Failures.describe(e) + "; check the network and the update source", e);
    }
    try {
      trust.accept(index, startedAt, TrustState.Expiry.of(config.requireExpiry()), where);
    } catch (UpdateException e) {
      LOG.warn("Refused the index of channel '{}': {}", config.channel(), e.getMessage());
      throw e;
    }
    return index;
  }
}
