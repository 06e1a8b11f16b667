package dev.updater.core.internal.format;

import dev.updater.core.spi.VerificationException;
import dev.updater.core.trust.KeyList;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An index's timestamp: {@code channels/<channel>.json.timestamp.minisig}, a minisign signature
 * of the exact index bytes by the key list's online timestamp key, whose trusted comment reads
 * {@code timestamp expires=<UTC time> channel=<channel>}. The release key signs an index once;
 * an online job signs a new timestamp before the last one expires, so an install that is served a
 * frozen index notices within the timestamp's lifetime. Not API.
 *
 * <pre>{@code
 * String comment = IndexTimestamp.comment("stable", Instant.parse("2026-12-03T10:00:00Z"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class IndexTimestamp {
  /** The file name suffix of a timestamp, after the index's name. */
  public static final String SUFFIX = ".timestamp.minisig";

  private static final Pattern COMMENT =
      Pattern.compile("timestamp expires=(\\S+) channel=(\\S+)");

  private IndexTimestamp() {}

  /** The trusted comment of a timestamp of {@code channel}'s index expiring at {@code expires}. */
  public static String comment(String channel, Instant expires) {
    Objects.requireNonNull(expires, "expires");
    if (!MetadataJson.isChannelName(Objects.requireNonNull(channel, "channel"))) {
      throw new IllegalArgumentException("'" + channel + "' is not a channel name");
    }
    return "timestamp expires=" + expires + " channel=" + channel;
  }

  /**
   * Checks the timestamp of the index and returns when it expires (the engine compares that with
   * the time its operation started).
   *
   * @throws VerificationException when the timestamp is missing, malformed, not by a timestamp
   *     key of {@code list}, not over these bytes, or for another channel
   */
  static Instant verify(String channel, String base, byte[] indexBytes, KeyList list,
      RepositoryFetch files) throws IOException {
    String name = base + SUFFIX;
    KeyList.Role role = list.timestamp().orElseThrow();
    byte[] bytes = files.fetch(name, IndexReader.MAX_SIGNATURE_BYTES).orElseThrow(() ->
        new VerificationException(name + " is missing: " + KeyList.path(list.version())
            + " names a timestamp key " + role.keyIds() + ", so every index needs a fresh "
            + "timestamp. Sign one with 'updater timestamp' (the online timestamp job)"));
    String comment;
    try {
      comment = role.trustedKeys().verify(indexBytes, IndexReader.text(name, bytes));
    } catch (VerificationException e) {
      throw new VerificationException(name + ": " + e.getMessage() + " (a timestamp must be "
          + "signed by the timestamp key " + role.keyIds() + " over this very index)", e);
    } catch (RuntimeException e) {
      throw new VerificationException(name + ": the timestamp could not be checked, so it is "
          + "refused: " + e, e);
    }
    Matcher m = COMMENT.matcher(comment);
    if (!m.matches()) {
      throw new VerificationException(name + ": its trusted comment '" + comment + "' is not "
          + "'timestamp expires=<UTC time> channel=<channel>'");
    }
    if (!m.group(2).equals(channel)) {
      throw new VerificationException(name + " is a timestamp for channel '" + m.group(2)
          + "', not '" + channel + "'");
    }
    try {
      return Instant.parse(m.group(1));
    } catch (DateTimeParseException e) {
      throw new VerificationException(name + ": its expiry '" + m.group(1) + "' is not a UTC "
          + "time", e);
    }
  }
}
