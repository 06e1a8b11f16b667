package dev.updater.core.internal;

import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.internal.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.TrustChain;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this install remembers about the indexes it has trusted, {@code .updater/trust.json}, and
 * the freshness rules that use it. Not API.
 *
 * <p>Per channel the file holds the highest {@code serial} accepted and the SHA-256 of the index at
 * that serial, taken over its canonical form ({@link MetadataJson#render}: the {@link
 * dev.updater.core.spi.ReleaseSource} port hands over a parsed index, not bytes, and the canonical
 * form is the same whatever formatting the repository served). {@link #accept} refuses, changing
 * nothing: an index with a lower serial (a replayed old index); an index with the same serial and
 * other content; an index that expired at or before the operation's start time (a frozen index);
 * and, when asked, an index without an expiry (a timestamp's expiry counts). For an index verified
 * through key lists ({@link dev.updater.core.TrustChain}) it also refuses a key list older than
 * the newest one remembered (top-level {@code keyList}), an expired key list, and an expired
 * timestamp. Only an index that passes all of them is remembered, and only when its serial (or
 * key list) is higher than the one remembered.
 *
 * <pre>{@code
 * TrustState trust = new TrustState(layout.state().resolve("trust.json"));
 * trust.accept(index, startedAt, Expiry.OPTIONAL, source.describe()); // throws when refused
 * }</pre>
 *
 * <p>Thread-safe within one process ({@link #accept} is synchronized). Two processes accepting at
 * the same instant can at worst record the lower of two valid serials; the next check raises it.
 */
final class TrustState {
  private static final Logger LOG = LoggerFactory.getLogger(TrustState.class);
  private static final int FORMAT = 1;
  private static final long MAX_BYTES = 1024 * 1024;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /**
   * What is remembered of one channel.
   *
   * @param serial the highest serial accepted
   * @param sha256 the SHA-256 (lower-case hex) of the canonical index at that serial
   * @param recordedAt when it was recorded
   */
  record Seen(long serial, String sha256, Instant recordedAt) {}

  private final Path file;

  TrustState(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  Path file() {
    return file;
  }

  /** Whether an index must carry an expiry time. */
  enum Expiry {
    /** An index without {@code expires} is refused as possibly frozen. */
    REQUIRED,
    /** An index without {@code expires} never expires. */
    OPTIONAL;

    /** As {@code Updater.Builder#requireExpiry} set it. */
    static Expiry of(boolean required) {
      return required ? REQUIRED : OPTIONAL;
    }
  }

  /**
   * Checks {@code index} against the rules and, when it passes and is newer than what is
   * remembered, remembers it.
   *
   * @param startedAt the time the operation started: expiry is judged against it, fixed, so a
   *     check that passed at the start is not undone by time passing during the operation
   * @param expiry whether an index without {@code expires} is refused
   * @param where the source's description, for messages
   * @throws UpdateException {@code VERIFICATION_FAILED} when the index is refused, {@code
   *     IO_ERROR} when the trust state cannot be read or written; either way the file is unchanged
   */
  synchronized void accept(ReleaseIndex index, Instant startedAt, Expiry expiry, String where) {
    String channel = index.channel();
    String what = "the index of channel '" + channel + "' at " + where;
    State state = read();
    Map<String, Seen> seen = state.channels();
    Seen known = seen.get(channel);
    String digest = digest(index);
    if (known != null && index.serial() < known.serial()) {
      throw refused(what + " has serial " + index.serial() + ", lower than serial "
          + known.serial() + " this install has already trusted: it is an old index served again "
          + "(a replay, or a mirror that is behind) and is refused so that the install cannot be "
          + "rolled back to old metadata. Try again later or use another mirror; if the publisher "
          + "really started its counter again, remove channel '" + channel + "' from " + file);
    }
    // Serial 0 is an index that is not versioned (a GitHub releases list, an in-memory source):
    // it has no counter to compare, so only its expiry is checked and nothing is remembered.
    boolean versioned = index.serial() > 0;
    if (versioned && known != null && index.serial() == known.serial()
        && !known.sha256().equals(digest)) {
      throw refused(what + " has serial " + index.serial() + ", which this install has already "
          + "trusted with other content (SHA-256 " + known.sha256() + " of its canonical form, now "
          + digest + "): the index was changed without raising its serial, or tampered with. "
          + "It is refused; ask the publisher to publish the change with a higher serial");
    }
    Optional<Instant> expires = index.expires();
    if (expires.isPresent() && !startedAt.isBefore(expires.get())) {
      throw refused(what + " expired at " + expires.get() + ", before this operation started at "
          + startedAt + ": cannot obtain fresh metadata. A stale mirror or an attacker may be "
          + "serving a frozen index; try again later or use another mirror, ask the publisher to "
          + "publish the index again with a later expiry, and check this machine's clock");
    }
    boolean newerKeyList = checkChain(index.trustChain(), state, startedAt, what);
    if (expires.isEmpty() && expiry == Expiry.REQUIRED
        && index.trustChain().flatMap(TrustChain::timestampExpires).isEmpty()) {
      throw refused(what + " has no expiry, and this updater requires one (requireExpiry): "
          + "cannot obtain fresh metadata. Ask the publisher to set 'expires' in the index");
    }
    boolean newerIndex = versioned && (known == null || index.serial() > known.serial());
    if (newerIndex) {
      seen.put(channel, new Seen(index.serial(), digest, startedAt));
      LOG.info("Trusted {}: serial {}{}", what, index.serial(),
          known == null ? " (first index seen)" : " (was " + known.serial() + ")");
    }
    if (newerIndex || newerKeyList) {
      TrustChain chain = index.trustChain().orElse(null);
      write(newerKeyList
          ? new State(seen, chain.keyListVersion(), chain.sha256(chain.keyListVersion()))
          : new State(seen, state.keyList(), state.keyListSha256()));
    }
  }

  /**
   * Checks the key list and timestamp the index was verified with: the key list must not be older
   * than one this install already trusted (a cut chain or a replayed list still holding a revoked
   * key), the chain must pass through the very list it trusted (not a fork of it), and neither
   * the newest list nor the timestamp may have expired.
   *
   * @return whether the key list is newer than the one remembered
   */
  private boolean checkChain(Optional<TrustChain> chain, State state, Instant startedAt,
      String what) {
    if (chain.isEmpty()) {
      return false;
    }
    int knownList = state.keyList();
    int version = chain.get().keyListVersion();
    if (version < knownList) {
      throw refused(what + " was verified with key list " + version + " (keys/" + version
          + ".json), older than key list " + knownList + " this install has already trusted: the "
          + "newer key lists are withheld (a cut chain, or a mirror that is behind), and an old "
          + "list may still hold keys that were revoked since. It is refused; try again later or "
          + "use another mirror. If the publisher really started its key lists again, remove "
          + "'keyList' from " + file);
    }
    if (knownList > 0 && !chain.get().sha256(knownList).equals(state.keyListSha256())) {
      throw refused(what + " was verified through a keys/" + knownList + ".json that is not the "
          + "key list " + knownList + " this install trusted (SHA-256 " + state.keyListSha256()
          + ", now " + chain.get().sha256(knownList) + "): the chain of key lists was replaced "
          + "from there on, which only a holder of an old root key can do. It is refused; tell "
          + "the publisher. If the publisher really rebuilt its key lists, remove 'keyList' and "
          + "'keyListSha256' from " + file);
    }
    Optional<Instant> listExpires = chain.get().keyListExpires();
    if (listExpires.isPresent() && !startedAt.isBefore(listExpires.get())) {
      throw refused(what + " was verified with key list " + version + ", which expired at "
          + listExpires.get() + ", before this operation started at " + startedAt + ": the "
          + "publisher must sign a new key list (updater keys rotate) with its root key; check "
          + "this machine's clock");
    }
    Optional<Instant> timestamp = chain.get().timestampExpires();
    if (timestamp.isPresent() && !startedAt.isBefore(timestamp.get())) {
      throw refused(what + " has a timestamp that expired at " + timestamp.get() + ", before this "
          + "operation started at " + startedAt + ": a stale mirror or an attacker may be serving "
          + "a frozen index, or the publisher's timestamp job stopped (updater timestamp). Try "
          + "again later or use another mirror, and check this machine's clock");
    }
    if (version > knownList) {
      LOG.info("Following key list {} (was {})", version, knownList == 0 ? "none" : knownList);
    }
    return version > knownList;
  }

  /** What is remembered of {@code channel}, if anything. */
  synchronized Optional<Seen> seen(String channel) {
    return Optional.ofNullable(read().channels().get(channel));
  }

  /** The version of the newest key list this install trusted, 0 when none. */
  synchronized int keyList() {
    return read().keyList();
  }

  /** What the file holds: per channel, and the newest key list trusted (0 and "": none). */
  private record State(Map<String, Seen> channels, int keyList, String keyListSha256) {}

  private static UpdateException refused(String message) {
    return new UpdateException(Reason.VERIFICATION_FAILED, null, message, null);
  }

  static String digest(ReleaseIndex index) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(MetadataJson.render(index)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private State read() {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw corrupt("it is larger than " + MAX_BYTES + " bytes", null);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new State(new TreeMap<>(), 0, "");
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot read the trust state " + file + ": "
          + Failures.describe(e), e);
    }
    try {
      return decode(Json.MAPPER.readTree(bytes));
    } catch (IOException | RuntimeException e) {
      throw corrupt(e.getMessage(), e);
    }
  }

  private UpdateException corrupt(String why, Throwable cause) {
    return new UpdateException(Reason.IO_ERROR, null, "the trust state " + file + " is not valid ("
        + why + "), so this install cannot tell a replayed index from a fresh one. Restore it "
        + "from a backup; deleting it makes the install trust the next index it sees", cause);
  }

  private static State decode(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("it must be a JSON object");
    }
    JsonNode format = root.get("format");
    if (format == null || !format.isInt() || format.intValue() != FORMAT) {
      throw new IllegalArgumentException("format must be " + FORMAT);
    }
    JsonNode channels = root.get("channels");
    if (channels == null || !channels.isObject()) {
      throw new IllegalArgumentException("channels must be an object");
    }
    Map<String, Seen> seen = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = channels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String channel = entry.getKey();
      JsonNode node = entry.getValue();
      if (!MetadataJson.isChannelName(channel) || !node.isObject()) {
        throw new IllegalArgumentException("channels." + channel + " is not a channel entry");
      }
      JsonNode serial = node.get("serial");
      JsonNode sha256 = node.get("sha256");
      JsonNode recordedAt = node.get("recordedAt");
      if (serial == null || !(serial.isInt() || serial.isLong()) || serial.longValue() < 0) {
        throw new IllegalArgumentException("channels." + channel + ".serial must be an integer");
      }
      if (sha256 == null || !sha256.isTextual() || !SHA256.matcher(sha256.textValue()).matches()) {
        throw new IllegalArgumentException("channels." + channel + ".sha256 must be 64 hex digits");
      }
      if (recordedAt == null || !recordedAt.isTextual()) {
        throw new IllegalArgumentException("channels." + channel + ".recordedAt must be a time");
      }
      try {
        seen.put(channel, new Seen(serial.longValue(), sha256.textValue(),
            Instant.parse(recordedAt.textValue())));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("channels." + channel + ".recordedAt is not a time", e);
      }
    }
    JsonNode keyList = root.get("keyList");
    JsonNode keyListSha256 = root.get("keyListSha256");
    if (keyList == null && keyListSha256 == null) {
      return new State(seen, 0, "");
    }
    if (keyList == null || !keyList.isInt() || keyList.intValue() < 1) {
      throw new IllegalArgumentException("keyList must be a positive integer");
    }
    if (keyListSha256 == null || !keyListSha256.isTextual()
        || !SHA256.matcher(keyListSha256.textValue()).matches()) {
      throw new IllegalArgumentException("keyListSha256 must be 64 hex digits");
    }
    return new State(seen, keyList.intValue(), keyListSha256.textValue());
  }

  private void write(State state) {
    Map<String, Seen> seen = state.channels();
    ObjectNode root = Json.object();
    root.put("format", FORMAT);
    if (state.keyList() > 0) {
      root.put("keyList", state.keyList()).put("keyListSha256", state.keyListSha256());
    }
    ObjectNode channels = root.putObject("channels");
    seen.forEach((channel, s) -> channels.putObject(channel)
        .put("serial", s.serial())
        .put("sha256", s.sha256())
        .put("recordedAt", s.recordedAt().toString()));
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UpdateException(Reason.IO_ERROR, null, "cannot record the trusted index in " + file
          + ": " + Failures.describe(e) + "; make " + file.getParent() + " writable and try again",
          e);
    }
  }
}
