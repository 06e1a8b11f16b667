package dev.updater.core;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The list of releases that an update repository publishes on one channel.
 *
 * <p>{@code serial} is a counter the publisher raises with every change of the index, and
 * {@code expires} the time after which the index must no longer be trusted; together they let a
 * client refuse an old or frozen index.
 *
 * <p>Immutable and thread-safe.
 *
 * @param application the application the releases belong to
 * @param channel the channel, such as {@code stable}
 * @param serial the index's version counter, not negative
 * @param expires when the index stops being valid, if it says
 * @param releases the releases, in any order
 * @param revoked the versions the publisher withdrew ({@link Revocation}), in any order; a
 *     revoked version may still be listed in {@code releases}, and is never offered
 * @param trustChain what the index's signatures were checked against, when its source follows
 *     the repository's key lists; set by the source, never read from the index file
 */
public record ReleaseIndex(
    String application, String channel, long serial, Optional<Instant> expires,
    List<Release> releases, List<Revocation> revoked, Optional<TrustChain> trustChain) {

  /** An index whose signatures were not checked against key lists. */
  public ReleaseIndex(String application, String channel, long serial, Optional<Instant> expires,
      List<Release> releases, List<Revocation> revoked) {
    this(application, channel, serial, expires, releases, revoked, Optional.empty());
  }

  /** An index that revokes nothing. */
  public ReleaseIndex(String application, String channel, long serial, Optional<Instant> expires,
      List<Release> releases) {
    this(application, channel, serial, expires, releases, List.of(), Optional.empty());
  }

  public ReleaseIndex {
    revoked = List.copyOf(Objects.requireNonNull(revoked, "revoked"));
    if (revoked.stream().map(Revocation::version).distinct().count() != revoked.size()) {
      throw new IllegalArgumentException("a version is revoked twice in the index of " + channel);
    }
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(trustChain, "trustChain");
    releases = List.copyOf(Objects.requireNonNull(releases, "releases"));
    if (serial < 0) {
      throw new IllegalArgumentException("index serial must not be negative, was " + serial);
    }
  }

  /** This index with {@code chain} as what its signatures were checked against. */
  public ReleaseIndex withTrustChain(TrustChain chain) {
    return new ReleaseIndex(application, channel, serial, expires, releases, revoked,
        Optional.of(Objects.requireNonNull(chain, "chain")));
  }

  /** The release with the highest version, if the index lists any. */
  public Optional<Release> newest() {
    return releases.stream().max(Comparator.comparing(Release::version));
  }

  /** The publisher's revocation of {@code version}, if it revoked it. */
  public Optional<Revocation> revocation(Version version) {
    return revoked.stream().filter(r -> r.version().equals(version)).findFirst();
  }

  /** The release with exactly this version, if listed. */
  public Optional<Release> find(Version version) {
    return releases.stream().filter(r -> r.version().equals(version)).findFirst();
  }
}
