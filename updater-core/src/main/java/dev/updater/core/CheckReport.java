package dev.updater.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a check found, for an admin panel or a {@code check} command: the versions running,
 * installed and available, whether the update is compatible with this install (and why not), the
 * releases passed over because they are quarantined, the facts the gates report (such as the
 * database provider), and when the source was read.
 *
 * <pre>{@code
 * CheckReport r = updater.report(false);
 * if (r.updateAvailable() && !r.compatible()) {
 *   panel.warn(r.latest().orElseThrow() + " cannot be installed: " + r.incompatibility().orElse(""));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param channel the channel followed
 * @param source the source's description ({@code ReleaseSource.describe()})
 * @param running the version of the running process, when the host told the builder
 * @param installed the version {@code current} points at, if any
 * @param restartPending true when both are known and differ: the installed release is not the one
 *     running, so a restart would change the version
 * @param latest the newest version on the channel that is offered to this install (in its staged
 *     rollout, not halted), whether or not it is newer than the installed one
 * @param update the release {@link Updater#check(boolean)} returns: newer than the installed one,
 *     offered to this install and not quarantined; empty when up to date
 * @param updateAvailable whether {@code update} is present
 * @param compatible whether {@code update} passed the upgrade-path rule and every gate; true when
 *     there is no update to judge
 * @param incompatibility why {@code update} is not compatible, as the refusing gate said it
 * @param quarantined the releases on the channel, newer than the installed one, that this check
 *     passed over because this install rolled them back ({@link QuarantinedRelease}), oldest
 *     first; {@code latest} still names the newest of them when it is the newest offered
 * @param facts what the gates report about this install, in the order of the gates, such as
 *     {@code database -> postgresql} ({@link dev.updater.core.spi.ReleaseGate#facts()})
 * @param checkedAt when the channel's index was read from the source
 * @param cached whether the index came from the check cache rather than from the source just now
 * @param revoked the versions the publisher withdrew on the channel ({@link Revocation}); none of
 *     them is offered as {@code update} or named as {@code latest}
 */
public record CheckReport(
    String channel,
    String source,
    Optional<Version> running,
    Optional<Version> installed,
    boolean restartPending,
    Optional<Version> latest,
    Optional<Release> update,
    boolean updateAvailable,
    boolean compatible,
    Optional<String> incompatibility,
    List<QuarantinedRelease> quarantined,
    Map<String, String> facts,
    Instant checkedAt,
    boolean cached,
    List<Revocation> revoked) {

  /** A report of a channel that revokes nothing. */
  public CheckReport(String channel, String source, Optional<Version> running,
      Optional<Version> installed, boolean restartPending, Optional<Version> latest,
      Optional<Release> update, boolean updateAvailable, boolean compatible,
      Optional<String> incompatibility, List<QuarantinedRelease> quarantined,
      Map<String, String> facts, Instant checkedAt, boolean cached) {
    this(channel, source, running, installed, restartPending, latest, update, updateAvailable,
        compatible, incompatibility, quarantined, facts, checkedAt, cached, List.of());
  }

  public CheckReport {
    revoked = List.copyOf(Objects.requireNonNull(revoked, "revoked"));
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(running, "running");
    Objects.requireNonNull(installed, "installed");
    Objects.requireNonNull(latest, "latest");
    Objects.requireNonNull(update, "update");
    Objects.requireNonNull(incompatibility, "incompatibility");
    quarantined = List.copyOf(Objects.requireNonNull(quarantined, "quarantined"));
    facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
        Objects.requireNonNull(facts, "facts")));
    Objects.requireNonNull(checkedAt, "checkedAt");
    if (updateAvailable != update.isPresent()) {
      throw new IllegalArgumentException("updateAvailable must say whether update is present");
    }
    if (compatible == incompatibility.isPresent()) {
      throw new IllegalArgumentException("an incompatibility is given exactly when not compatible");
    }
  }

  /**
   * The publisher's revocation of the installed release, when it revoked it: the install runs a
   * release that should be left (roll back, or install the update), and a panel says so.
   */
  public Optional<Revocation> installedRevocation() {
    return installed.flatMap(v -> revoked.stream().filter(r -> r.version().equals(v))
        .findFirst());
  }

  /** True when an update is available and compatible: {@code install(update().get())} may run. */
  public boolean installable() {
    return updateAvailable && compatible;
  }
}
