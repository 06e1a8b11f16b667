package dev.updater.core.internal.format;

import dev.updater.core.spi.VerificationException;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a repository's key lists from a {@link TrustRoot} to the newest one, and counts the
 * distinct keys of a role that signed some bytes. Not API: {@link IndexReader} uses it.
 *
 * <p>{@code keys/1.json} must be signed by the trust root's threshold of root keys; each {@code
 * keys/<n+1>.json} by the threshold of the root keys of {@code keys/<n>.json} (checked over the
 * exact bytes before they are parsed) and by the threshold of its own root keys. The walk stops at
 * the first version the repository does not have. A signature of {@code file} by key {@code K} is
 * {@code <file>.<K>.minisig}; a key counts once however many of its signatures are served.
 *
 * <p>Stateless and thread-safe.
 */
final class KeyChain {
  private static final Logger LOG = LoggerFactory.getLogger(KeyChain.class);
  /** The most key lists one walk reads: a repository rotates keys rarely. */
  static final int MAX_VERSIONS = 1000;

  /**
   * Which keys signed: the ids with a valid signature, and why the signatures that were served
   * but did not verify were refused.
   */
  record Signed(Set<String> valid, List<String> refused) {}

  /** Where a walk ended: the newest key list, and the SHA-256 of each list from version 1. */
  record Walk(KeyList newest, List<String> sha256) {}

  private KeyChain() {}

  /**
   * The newest key list the root leads to: from {@code keys/1.json}, or, when {@code from} is
   * given (a walk this process already verified), from the list after its newest one.
   *
   * @throws VerificationException when {@code keys/1.json} is missing, a list is malformed, is not
   *     signed by enough root keys, or has the wrong version
   */
  static Walk newest(TrustRoot root, RepositoryFetch files, Optional<Walk> from)
      throws IOException {
    return extend(from.isPresent() ? from.get() : first(root, files), files);
  }

  private static Walk first(TrustRoot root, RepositoryFetch files) throws IOException {
    String first = KeyList.path(1);
    byte[] bytes = files.fetch(first, KeyList.MAX_BYTES).orElseThrow(() ->
        new VerificationException(first + " is missing: this source follows the repository's "
            + "key lists from the root keys " + root.keys().keyIds() + ", and the repository has "
            + "none. Publish one with 'updater keys init', or trust the publishing key itself"));
    Map<String, TrustedKeys> rootKeys = single(root.keys());
    require(first, signers(bytes, first, rootKeys, files), rootKeys, root.threshold(),
        "the trusted root keys");
    return new Walk(parse(first, bytes, 1), List.of(sha256(bytes)));
  }

  /** {@code from} followed by every later key list the repository has. */
  private static Walk extend(Walk from, RepositoryFetch files) throws IOException {
    KeyList current = from.newest();
    List<String> digests = new ArrayList<>(from.sha256());
    for (int next = current.version() + 1; next <= MAX_VERSIONS; next++) {
      String file = KeyList.path(next);
      Optional<byte[]> found = files.fetch(file, KeyList.MAX_BYTES);
      if (found.isEmpty()) {
        break;
      }
      byte[] data = found.get();
      Map<String, TrustedKeys> oldRoot = single(current.root().trustedKeys());
      Signed byOld = signers(data, file, oldRoot, files);
      require(file, byOld, oldRoot, current.root().threshold(),
          "the root keys of " + KeyList.path(next - 1));
      KeyList candidate = parse(file, data, next);
      Map<String, TrustedKeys> newRoot = single(candidate.root().trustedKeys());
      Map<String, TrustedKeys> added = new LinkedHashMap<>(newRoot);
      added.keySet().removeAll(oldRoot.keySet()); // a key in both was checked already
      Signed byAdded = signers(data, file, added, files);
      Set<String> valid = new LinkedHashSet<>(byAdded.valid());
      byOld.valid().stream().filter(newRoot::containsKey).forEach(valid::add);
      require(file, new Signed(valid, byAdded.refused()), newRoot, candidate.root().threshold(),
          "its own root keys");
      current = candidate;
      digests.add(sha256(data));
    }
    LOG.debug("Following key list {}: publishing keys {}", current.version(),
        current.publishing().keyIds());
    return new Walk(current, List.copyOf(digests));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Each key of {@code keys} alone, by id, so a signature is checked against exactly one key. */
  static Map<String, TrustedKeys> single(TrustedKeys keys) {
    Map<String, TrustedKeys> byId = new LinkedHashMap<>();
    for (String id : keys.keyIds()) {
      byId.put(id, keys.only(id));
    }
    return byId;
  }

  /** The keys among {@code keys} with a valid {@code <file>.<id>.minisig} over {@code data}. */
  static Signed signers(byte[] data, String file, Map<String, TrustedKeys> keys,
      RepositoryFetch files) throws IOException {
    Set<String> valid = new LinkedHashSet<>();
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, TrustedKeys> key : keys.entrySet()) {
      String name = KeyList.signaturePath(file, key.getKey());
      Optional<byte[]> signature = files.fetch(name, IndexReader.MAX_SIGNATURE_BYTES);
      if (signature.isPresent()) {
        check(data, name, signature.get(), key.getKey(), key.getValue(), valid, refused);
      }
    }
    return new Signed(valid, refused);
  }

  /** Adds {@code id} to {@code valid} when {@code signature} verifies, else the reason. */
  static void check(byte[] data, String name, byte[] signature, String id, TrustedKeys key,
      Set<String> valid, List<String> refused) {
    try {
      key.verify(data, IndexReader.text(name, signature));
      valid.add(id);
    } catch (VerificationException | RuntimeException e) {
      refused.add(name + ": " + e.getMessage());
    }
  }

  /**
   * Refuses unless {@code signed} holds at least {@code threshold} of {@code keys}, naming what
   * is missing.
   */
  static void require(String file, Signed signed, Map<String, TrustedKeys> keys, int threshold,
      String whose) throws VerificationException {
    if (signed.valid().size() >= threshold) {
      return;
    }
    List<String> refused = signed.refused();
    throw new VerificationException(file + " is signed by " + signed.valid().size() + " of "
        + whose + " " + keys.keySet() + ", " + threshold + (threshold == 1 ? " is" : " are")
        + " needed" + (refused.isEmpty() ? "" : " (refused: " + String.join("; ", refused) + ")")
        + ". It is refused; sign it with enough of those keys ("
        + KeyList.signaturePath(file, "<KEYID>") + ")");
  }

  private static KeyList parse(String file, byte[] bytes, int version)
      throws VerificationException {
    KeyList list;
    try {
      list = KeyList.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(file + " is not a valid key list: " + e.getMessage(), e);
    }
    if (list.version() != version) {
      throw new VerificationException(file + " says it is version " + list.version() + ", not "
          + version + ": a key list served under another name is refused");
    }
    return list;
  }
}
