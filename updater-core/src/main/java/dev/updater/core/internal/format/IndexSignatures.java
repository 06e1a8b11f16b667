package dev.updater.core.internal.format;

import dev.updater.core.spi.VerificationException;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that an index is signed by the threshold of distinct publishing keys of the newest key
 * list. Not API: {@link IndexReader} uses it.
 *
 * <p>The signatures are {@code channels/<channel>.json.<KEYID>.minisig}, one per key, and the
 * single {@code channels/<channel>.json.minisig} a one-key publisher writes; a key counts once
 * however many of its signatures are served. A signature by a key that is not in the list (a
 * revoked key) counts for nothing.
 *
 * <p>Stateless and thread-safe.
 */
final class IndexSignatures {
  private IndexSignatures() {}

  /**
   * Refuses unless enough publishing keys of {@code list} signed {@code indexBytes}.
   *
   * @param base the index's path in the repository, {@code channels/<channel>.json}
   */
  static void require(String channel, String base, byte[] indexBytes, KeyList list,
      RepositoryFetch files) throws IOException {
    TrustedKeys publishing = list.publishing().trustedKeys();
    Map<String, TrustedKeys> keys = KeyChain.single(publishing);
    Set<String> valid = new LinkedHashSet<>();
    List<String> refused = new ArrayList<>();
    String plain = base + ".minisig";
    Optional<byte[]> single = files.fetch(plain, IndexReader.MAX_SIGNATURE_BYTES);
    if (single.isPresent()) {
      String text = IndexReader.text(plain, single.get());
      try {
        publishing.verify(indexBytes, text);
        for (Map.Entry<String, TrustedKeys> key : keys.entrySet()) {
          KeyChain.check(indexBytes, plain, single.get(), key.getKey(), key.getValue(), valid,
              new ArrayList<>());
        }
      } catch (VerificationException | RuntimeException e) {
        refused.add(plain + ": " + e.getMessage());
      }
    }
    int threshold = list.publishing().threshold();
    if (valid.size() < threshold) {
      KeyChain.Signed perKey = KeyChain.signers(indexBytes, base, keys, files);
      valid.addAll(perKey.valid());
      refused.addAll(perKey.refused());
    }
    if (valid.size() < threshold) {
      throw new VerificationException("the index of channel '" + channel + "' is signed by "
          + valid.size() + " of the publishing keys " + keys.keySet() + " of "
          + KeyList.path(list.version()) + ", " + threshold + (threshold == 1 ? " is" : " are")
          + " needed" + (refused.isEmpty() ? "" : " (refused: " + String.join("; ", refused)
          + ")") + ". A key that is not in the newest key list is revoked; sign the index with "
          + "the current publishing keys (" + KeyList.signaturePath(base, "<KEYID>") + ")");
    }
  }
}
