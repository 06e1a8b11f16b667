package dev.updater.core.internal.format;

import dev.updater.core.ReleaseIndex;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the bytes of a channel index, and of its minisign signature, into a {@link ReleaseIndex}:
 * the one place every release source (directory, HTTP) does it. Not API.
 *
 * <p>A signed reader checks, in this order: that the index is at most {@link
 * MetadataJson#MAX_INDEX_BYTES}; that a signature is there, at most {@link #MAX_SIGNATURE_BYTES}
 * and UTF-8; that it is a valid signature by a trusted key over the <em>exact</em> index bytes
 * ({@link MinisignVerifier}). Only then are the bytes parsed ({@link MetadataJson#read}), so a
 * tampered index never reaches the JSON parser. Last, the index must be for the channel asked for.
 * An unsigned reader skips the signature steps and ignores any signature given.
 *
 * <p>Error messages do not name a file: the source prefixes the location it read.
 *
 * <pre>{@code
 * IndexReader reader = IndexReader.signed(trustedKeys);
 * Optional<byte[]> signature = reader.verifiesSignatures() ? fetch("stable.json.minisig") : none;
 * ReleaseIndex index = reader.read("stable", fetch("stable.json"), signature);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class IndexReader {
  private static final Logger LOG = LoggerFactory.getLogger(IndexReader.class);

  /** The largest signature file accepted, 4 KiB; a source reads at most this plus one byte. */
  public static final int MAX_SIGNATURE_BYTES = 4096;

  private static final IndexReader UNSIGNED = new IndexReader(Optional.empty());

  private final Optional<TrustedKeys> keys;

  private IndexReader(Optional<TrustedKeys> keys) {
    this.keys = keys;
  }

  /** A reader that does not check signatures: for a repository that is itself trusted. */
  public static IndexReader unsigned() {
    return UNSIGNED;
  }

  /** A reader that accepts only an index signed by one of {@code keys}. */
  public static IndexReader signed(TrustedKeys keys) {
    return new IndexReader(Optional.of(Objects.requireNonNull(keys, "keys")));
  }

  /** Whether {@link #read} needs the signature, so the source should fetch it. */
  public boolean verifiesSignatures() {
    return keys.isPresent();
  }

  /** The keys signatures are checked against, if this reader checks them. */
  public Optional<TrustedKeys> trustedKeys() {
    return keys;
  }

  /**
   * Verifies (when signed) and parses the index of {@code channel}.
   *
   * @param signatureBytes the content of {@code channels/<channel>.json.minisig}, empty when the
   *     repository has none
   * @throws IllegalArgumentException when {@code channel} is not a channel name
   * @throws VerificationException when the index is too large, not signed, not validly signed by a
   *     trusted key, malformed, or for another channel
   */
  public ReleaseIndex read(String channel, byte[] indexBytes, Optional<byte[]> signatureBytes)
      throws IOException {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(indexBytes, "indexBytes");
    Objects.requireNonNull(signatureBytes, "signatureBytes");
    if (!MetadataJson.isChannelName(channel)) {
      throw new IllegalArgumentException("'" + channel + "' is not a channel name");
    }
    if (indexBytes.length > MetadataJson.MAX_INDEX_BYTES) {
      throw new VerificationException("the index is " + indexBytes.length + " bytes, more than "
          + "the " + MetadataJson.MAX_INDEX_BYTES + " bytes an index may have");
    }
    if (keys.isPresent()) {
      String comment = verify(channel, indexBytes, signatureBytes, keys.get());
      LOG.debug("The index of channel {} is signed; trusted comment: {}", channel, comment);
    }
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
    byte[] bytes = signatureBytes.get();
    if (bytes.length > MAX_SIGNATURE_BYTES) {
      throw new VerificationException(signatureName + " is " + bytes.length
          + " bytes, more than the " + MAX_SIGNATURE_BYTES + " bytes a signature may have");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new VerificationException(signatureName + " is not UTF-8 text");
    }
    try {
      return trusted.verify(indexBytes, text);
    } catch (VerificationException e) {
      throw new VerificationException(signatureName + ": " + e.getMessage(), e);
    } catch (RuntimeException e) { // fail closed, whatever went wrong
      throw new VerificationException(signatureName + ": the signature could not be checked, so "
          + "it is refused: " + e, e);
    }
  }
}
