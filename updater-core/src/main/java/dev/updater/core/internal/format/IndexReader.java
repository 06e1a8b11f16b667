package dev.updater.core.internal.format;

import dev.updater.core.ReleaseIndex;
import dev.updater.core.TrustChain;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the bytes of a channel index, and of the signatures beside it, into a {@link
 * ReleaseIndex}: the one place every release source (directory, HTTP) does it. Not API.
 *
 * <p>A reader checks, in this order: that the index is at most {@link
 * MetadataJson#MAX_INDEX_BYTES}; its signatures, over the <em>exact</em> index bytes; only then
 * are the bytes parsed ({@link MetadataJson#read}), so a tampered index never reaches the JSON
 * parser. Last, the index must be for the channel asked for. There are three kinds:
 * <ul>
 *   <li>{@link #unsigned()} checks no signature;
 *   <li>{@link #signed(TrustedKeys)} needs {@code <channel>.json.minisig} by one of the keys;
 *   <li>{@link #rooted(TrustRoot)} follows the key lists from the root ({@link KeyChain}), then
 *       needs the newest list's publishing threshold of distinct keys ({@code
 *       <channel>.json.<KEYID>.minisig}, or {@code <channel>.json.minisig}) and, when the list
 *       names a timestamp key, a timestamp {@code <channel>.json.timestamp.minisig} ({@link
 *       IndexTimestamp}); the index it returns carries a {@link TrustChain}.
 * </ul>
 *
 * <p>Error messages do not name the index file: the source prefixes the location it read.
 *
 * <pre>{@code
 * ReleaseIndex index = IndexReader.rooted(root).read("stable", indexBytes, source::fetch);
 * }</pre>
 *
 * <p>A reader that follows key lists remembers, in memory, the newest list it verified, and its
 * next read walks on from there: a list it verified is not fetched again, so a later check costs
 * the index, its signatures and one request for the next key list. Thread-safe; otherwise
 * immutable.
 */
public final class IndexReader {
  private static final Logger LOG = LoggerFactory.getLogger(IndexReader.class);

  /** The largest signature file accepted, 4 KiB; a source reads at most this plus one byte. */
  public static final int MAX_SIGNATURE_BYTES = 4096;

  private static final IndexReader UNSIGNED = new IndexReader(Optional.empty(), Optional.empty());

  private final Optional<TrustedKeys> keys;
  private final Optional<TrustRoot> root;
  /** The newest key lists this reader verified: the next read walks on from there. */
  private final AtomicReference<KeyChain.Walk> walked = new AtomicReference<>();

  private IndexReader(Optional<TrustedKeys> keys, Optional<TrustRoot> root) {
    this.keys = keys;
    this.root = root;
  }

  /** A reader that does not check signatures: for a repository that is itself trusted. */
  public static IndexReader unsigned() {
    return UNSIGNED;
  }

  /** A reader that accepts only an index signed by one of {@code keys}. */
  public static IndexReader signed(TrustedKeys keys) {
    return new IndexReader(Optional.of(Objects.requireNonNull(keys, "keys")), Optional.empty());
  }

  /** A reader that follows the repository's key lists from {@code root}. */
  public static IndexReader rooted(TrustRoot root) {
    return new IndexReader(Optional.empty(), Optional.of(Objects.requireNonNull(root, "root")));
  }

  /** Whether {@link #read} checks signatures. */
  public boolean verifiesSignatures() {
    return keys.isPresent() || root.isPresent();
  }

  /** The keys signatures are checked against, if this reader was made with {@link #signed}. */
  public Optional<TrustedKeys> trustedKeys() {
    return keys;
  }

  /** The root this reader follows key lists from, if it was made with {@link #rooted}. */
  public Optional<TrustRoot> trustRoot() {
    return root;
  }

  /** What the source's description adds: whom the index must be signed by. */
  public String describeTrust() {
    return keys.map(k -> " (signed by " + String.join(", ", k.keyIds()) + ")")
        .or(() -> root.map(r -> " (key lists from root " + r.threshold() + " of "
            + String.join(", ", r.keys().keyIds()) + ")"))
        .orElse("");
  }

  /**
   * Verifies and parses the index of {@code channel}, fetching the files beside it that this
   * reader needs through {@code files}.
   *
   * @throws IllegalArgumentException when {@code channel} is not a channel name
   * @throws VerificationException when the index is too large, not signed as this reader needs,
   *     malformed, or for another channel; or a key list or the timestamp is not valid
   */
  public ReleaseIndex read(String channel, byte[] indexBytes, RepositoryFetch files)
      throws IOException {
    Objects.requireNonNull(files, "files");
    checkArguments(channel, indexBytes);
    String base = "channels/" + channel + ".json";
    if (root.isEmpty()) {
      Optional<byte[]> signature = keys.isPresent()
          ? files.fetch(base + ".minisig", MAX_SIGNATURE_BYTES) : Optional.empty();
      return read(channel, indexBytes, signature);
    }
    KeyChain.Walk walk = KeyChain.newest(root.get(), files, Optional.ofNullable(walked.get()));
    walked.accumulateAndGet(walk, (a, b) -> a == null
        || b.newest().version() > a.newest().version() ? b : a);
    KeyList list = walk.newest();
    IndexSignatures.require(channel, base, indexBytes, list, files);
    Optional<java.time.Instant> timestamp = Optional.empty();
    if (list.timestamp().isPresent()) {
      timestamp = Optional.of(IndexTimestamp.verify(channel, base, indexBytes, list, files));
    }
    ReleaseIndex index = parse(channel, indexBytes);
    return index.withTrustChain(new TrustChain(list.version(), list.expires(), timestamp,
        walk.sha256()));
  }

  /**
   * Verifies (when made with {@link #signed}) and parses the index of {@code channel}, with its
   * one signature already read.
   *
   * @param signatureBytes the content of {@code channels/<channel>.json.minisig}, empty when the
   *     repository has none
   * @throws IllegalArgumentException when {@code channel} is not a channel name
   * @throws IllegalStateException when this reader follows key lists: use {@link
   *     #read(String, byte[], RepositoryFetch)}
   * @throws VerificationException when the index is too large, not signed, not validly signed by a
   *     trusted key, malformed, or for another channel
   */
  public ReleaseIndex read(String channel, byte[] indexBytes, Optional<byte[]> signatureBytes)
      throws IOException {
    Objects.requireNonNull(signatureBytes, "signatureBytes");
    checkArguments(channel, indexBytes);
    if (root.isPresent()) {
      throw new IllegalStateException("a reader that follows key lists fetches its own files");
    }
    if (keys.isPresent()) {
      String comment = verify(channel, indexBytes, signatureBytes, keys.get());
      LOG.debug("The index of channel {} is signed; trusted comment: {}", channel, comment);
    }
    return parse(channel, indexBytes);
  }

  private static void checkArguments(String channel, byte[] indexBytes)
      throws VerificationException {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(indexBytes, "indexBytes");
    if (!MetadataJson.isChannelName(channel)) {
      throw new IllegalArgumentException("'" + channel + "' is not a channel name");
    }
    if (indexBytes.length > MetadataJson.MAX_INDEX_BYTES) {
      throw new VerificationException("the index is " + indexBytes.length + " bytes, more than "
          + "the " + MetadataJson.MAX_INDEX_BYTES + " bytes an index may have");
    }
  }

  private static ReleaseIndex parse(String channel, byte[] indexBytes) throws IOException {
    ReleaseIndex index = MetadataJson.read(indexBytes);
    if (!index.channel().equals(channel)) {
      throw new VerificationException("index for channel '" + index.channel() + "' served as '"
          + channel + "'");
    }
    return index;
  }

  private String verify(String channel, byte[] indexBytes, Optional<byte[]> signatureBytes,
      TrustedKeys trusted) throws VerificationException {
    String signatureName = channel + ".json.minisig";
    if (signatureBytes.isEmpty()) {
      throw new VerificationException("the index is not signed: there is no " + signatureName
          + " beside it, and this source accepts only indexes signed by " + trusted.keyIds());
    }
    String text = text(signatureName, signatureBytes.get());
    try {
      return trusted.verify(indexBytes, text);
    } catch (VerificationException e) {
      throw new VerificationException(signatureName + ": " + e.getMessage(), e);
    } catch (RuntimeException e) { // fail closed, whatever went wrong
      throw new VerificationException(signatureName + ": the signature could not be checked, so "
          + "it is refused: " + e, e);
    }
  }

  /** The signature file's text: at most {@link #MAX_SIGNATURE_BYTES}, strict UTF-8. */
  static String text(String signatureName, byte[] bytes) throws VerificationException {
    if (bytes.length > MAX_SIGNATURE_BYTES) {
      throw new VerificationException(signatureName + " is " + bytes.length
          + " bytes, more than the " + MAX_SIGNATURE_BYTES + " bytes a signature may have");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new VerificationException(signatureName + " is not UTF-8 text");
    }
  }
}
