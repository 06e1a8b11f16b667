package dev.updater.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the signatures of a channel index were checked against when its source follows a
 * repository's signed key lists ({@code keys/<n>.json}, see {@code docs/signing.md}): the version
 * of the newest key list, which the install remembers so that an older list is never accepted
 * again, when that list expires, and when the index's timestamp expires. The engine refuses the
 * index once either expiry has passed.
 *
 * <pre>{@code
 * index.trustChain().ifPresent(chain -> log.info("key list {}", chain.keyListVersion()));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param keyListVersion the version of the key list that verified the index, at least 1
 * @param keyListExpires when that key list stops being valid, if it says
 * @param timestampExpires when the index's timestamp stops being valid; empty when the key list
 *     names no timestamp key
 */
public record TrustChain(int keyListVersion, Optional<Instant> keyListExpires,
    Optional<Instant> timestampExpires) {

  public TrustChain {
    if (keyListVersion < 1) {
      throw new IllegalArgumentException("a key list version starts at 1, was " + keyListVersion);
    }
    Objects.requireNonNull(keyListExpires, "keyListExpires");
    Objects.requireNonNull(timestampExpires, "timestampExpires");
  }
}
