package dev.updater.core.repository;

import dev.updater.core.ReleaseIndex;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.spi.VerificationException;

/**
 * The JSON form of a channel's release index ({@code <channel>.json} in an update repository), for
 * tools that write an index themselves or check one before uploading it.
 *
 * <pre>{@code
 * byte[] json = IndexFormat.write(index);            // canonical bytes: sign these
 * ReleaseIndex back = IndexFormat.read(json);        // refuses anything the updater would refuse
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class IndexFormat {

  /** The largest index an updater accepts, 4 MiB. */
  public static final int MAX_INDEX_BYTES = MetadataJson.MAX_INDEX_BYTES;

  private IndexFormat() {}

  /**
   * True when {@code name} can name a channel: an ASCII letter or digit, then letters, digits,
   * {@code .}, {@code _} or {@code -}. Such a name is also a safe file name.
   */
  public static boolean isChannelName(String name) {
    return MetadataJson.isChannelName(name);
  }

  /**
   * Parses an index exactly as an updater does.
   *
   * @param json the bytes of the index, at most {@link #MAX_INDEX_BYTES}
   * @throws VerificationException when the bytes are not a valid index; the message names the
   *     JSON path of the offending value and what is wrong with it
   */
  public static ReleaseIndex read(byte[] json) throws VerificationException {
    return MetadataJson.read(json);
  }

  /**
   * Renders {@code index} as pretty-printed UTF-8 JSON with a fixed field order, ending in a line
   * feed. Equal indexes give identical bytes, and {@link #read} gives back an equal index.
   *
   * @throws IllegalArgumentException when {@link #read} would refuse the result
   */
  public static byte[] write(ReleaseIndex index) {
    return MetadataJson.write(index);
  }
}
