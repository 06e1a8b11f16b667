package dev.updater.core.trust;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The anchor of an install's trust when the repository publishes signed key lists: the root
 * public keys (kept offline by the publisher) and how many of them must sign. A source given a
 * trust root reads {@code keys/1.json}, which must be signed by {@link #threshold()} of these
 * keys, then follows each later key list {@code keys/<n>.json} (signed by the root keys of the
 * list before it and by its own), and accepts an index only when the newest list's publishing
 * keys signed it. Key rotations and revocations published that way are followed without
 * reconfiguring the install. See {@code docs/signing.md}.
 *
 * <pre>{@code
 * TrustRoot root = TrustRoot.read(1, Path.of("/etc/myapp/root.pub"));
 * ReleaseSource source = DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp"), root);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustRoot {
  private final TrustedKeys keys;
  private final int threshold;

  private TrustRoot(TrustedKeys keys, int threshold) {
    this.keys = keys;
    this.threshold = threshold;
  }

  /**
   * Trusts the root {@code keys}, {@code threshold} of which must sign the first key list.
   *
   * @throws IllegalArgumentException when {@code threshold} is below 1 or above the number of keys
   */
  public static TrustRoot of(TrustedKeys keys, int threshold) {
    Objects.requireNonNull(keys, "keys");
    int count = keys.keyIds().size();
    if (threshold < 1 || threshold > count) {
      throw new IllegalArgumentException("the root threshold must be between 1 and the number of "
          + "root keys (" + count + "), was " + threshold);
    }
    return new TrustRoot(keys, threshold);
  }

  /**
   * Trusts the root public keys in the given files, {@code threshold} of which must sign.
   *
   * @throws IllegalArgumentException as {@link TrustedKeys#read} and {@link #of} do
   * @throws IOException when a file cannot be read
   */
  public static TrustRoot read(int threshold, Path... rootKeyFiles) throws IOException {
    return of(TrustedKeys.read(rootKeyFiles), threshold);
  }

  /** The root public keys. */
  public TrustedKeys keys() {
    return keys;
  }

  /** How many distinct root keys must sign the first key list. */
  public int threshold() {
    return threshold;
  }

  @Override
  public String toString() {
    return "TrustRoot[" + threshold + " of " + keys.keyIds() + "]";
  }
}
