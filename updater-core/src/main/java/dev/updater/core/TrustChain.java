package dev.updater.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the signatures of a channel index were checked against when its source follows a
 * repository's signed key lists ({@code keys/<n>.json}, see {@code docs/signing.md}): the version
 * of the newest key list, which the install remembers so that an older list is never accepted
 * again, when that list expires, and when the index's timestamp expires. The engine refuses the
 * index once either expiry has passed. The SHA-256 of every key list on the way lets the
 * install tell the chain it trusted from another one forked from it (by a root key rotated out,
 * say): the list at the version it remembers must be the very one it trusted.
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
 * @param keyListSha256 the SHA-256 (lower-case hex) of the bytes of {@code keys/1.json} to {@code
 *     keys/<keyListVersion>.json}, in order: one per version
 */
public record TrustChain(int keyListVersion, Optional<Instant> keyListExpires,
    Optional<Instant> timestampExpires, List<String> keyListSha256) {

  public TrustChain {
    if (keyListVersion < 1) {
      throw new IllegalArgumentException("a key list version starts at 1, was " + keyListVersion);
    }
    Objects.requireNonNull(keyListExpires, "keyListExpires");
    Objects.requireNonNull(timestampExpires, "timestampExpires");
    keyListSha256 = List.copyOf(Objects.requireNonNull(keyListSha256, "keyListSha256"));
    if (keyListSha256.size() != keyListVersion) {
      throw new IllegalArgumentException("a chain to key list " + keyListVersion + " needs "
          + keyListVersion + " digests, one per version, not " + keyListSha256.size());
    }
  }

  /** The SHA-256 of the key list of {@code version}, from 1 to {@link #keyListVersion()}. */
  public String sha256(int version) {
    if (version < 1 || version > keyListVersion) {
      throw new IllegalArgumentException("key list " + version + " is not on this chain of "
          + keyListVersion);
    }
    return keyListSha256.get(version - 1);
  }
}
