package dev.updater.core.repository;

import dev.updater.core.ReleaseIndex;
import dev.updater.core.internal.format.IndexTimestamp;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's side of a repository's signed key lists: publishes {@code keys/<n>.json} signed
 * by root keys (the first list, a rotation, a revocation), adds a publishing key's signature to a
 * channel index (for a threshold of several keys), and signs an index's short-lived timestamp
 * with the online timestamp key. Every check happens before anything is written; a refused call
 * changes nothing. Files are written atomically, signatures before the list or index they sign.
 *
 * <pre>{@code
 * RepositoryKeys keys = RepositoryKeys.at(Path.of("repo"));
 * keys.publish(KeyList.first(KeyList.Role.of(1, root.publicKeyText()),
 *     KeyList.Role.of(1, release.publicKeyText())), List.of(root));
 * keys.timestamp("stable", online, Instant.now().plus(Duration.ofDays(1)));
 * }</pre>
 *
 * <p>Not thread-safe: one publisher at a time per repository.
 */
public final class RepositoryKeys {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryKeys.class);

  private final Path root;

  private RepositoryKeys(Path root) {
    this.root = root;
  }

  /** The key lists of the repository at {@code repository}. */
  public static RepositoryKeys at(Path repository) {
    return new RepositoryKeys(Objects.requireNonNull(repository, "repository"));
  }

  /**
   * The newest key list in the repository, read as it is (a publisher trusts its own files).
   *
   * @throws IllegalArgumentException when a key list file is not a valid key list
   * @throws IOException when one cannot be read
   */
  public Optional<KeyList> newest() throws IOException {
    Optional<KeyList> newest = Optional.empty();
    for (int v = 1; Files.exists(file(KeyList.path(v))); v++) {
      byte[] bytes = Files.readAllBytes(file(KeyList.path(v)));
      try {
        newest = Optional.of(KeyList.parse(bytes));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(KeyList.path(v) + " is not a valid key list: "
            + e.getMessage(), e);
      }
    }
    return newest;
  }

  /**
   * Publishes {@code list} as the next key list: version 1 when the repository has none, else the
   * newest version + 1. {@code signers} must hold the threshold of root keys of the newest list
   * (which authorises the change) and the threshold of {@code list}'s own root keys (which proves
   * the new root keys are held); each writes {@code keys/<n>.json.<KEYID>.minisig}.
   *
   * @throws IllegalArgumentException when the version is not the next one, a signer is not a root
   *     key of either list, or a threshold is not met; nothing is written
   * @throws IOException when the repository cannot be read or written
   */
  public void publish(KeyList list, List<SigningKey> signers) throws IOException {
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(signers, "signers");
    Optional<KeyList> previous = newest();
    int expected = previous.map(p -> p.version() + 1).orElse(1);
    if (list.version() != expected) {
      throw new IllegalArgumentException("the key list to publish is version " + list.version()
          + ", but the next one in " + root + " is " + expected + (previous.isEmpty()
          ? " (the repository has no key list yet)" : ""));
    }
    Set<String> ids = new LinkedHashSet<>();
    signers.forEach(k -> ids.add(k.keyId()));
    Set<String> known = new LinkedHashSet<>(list.root().keyIds());
    previous.ifPresent(p -> known.addAll(p.root().keyIds()));
    for (String id : ids) {
      if (!known.contains(id)) {
        throw new IllegalArgumentException("key " + id + " is not a root key of "
            + previous.map(p -> KeyList.path(p.version()) + " nor of ").orElse("")
            + "the new key list (root keys: " + known + "); sign with the root keys");
      }
    }
    if (previous.isPresent()) {
      requireThreshold(ids, previous.get().root(), "the root keys of "
          + KeyList.path(previous.get().version()) + " (which authorise the change)");
    }
    requireThreshold(ids, list.root(), "the root keys of the new key list");
    String path = KeyList.path(list.version());
    byte[] json = list.toJson();
    for (SigningKey key : distinct(signers)) {
      Path signature = file(KeyList.signaturePath(path, key.keyId()));
      RepositoryFiles.write(signature, key.sign(json, "key list " + list.version())
          .getBytes(StandardCharsets.UTF_8));
    }
    RepositoryFiles.write(file(path), json);
    LOG.info("Published {} (publishing keys {}), signed by {}", path,
        list.publishing().keyIds(), ids);
  }

  /**
   * Adds {@code key}'s signature of the index of {@code channel}, {@code
   * channels/<channel>.json.<KEYID>.minisig}, for a publishing threshold of several keys.
   *
   * @return the signature file written
   * @throws IllegalArgumentException when the channel has no index, or the newest key list does
   *     not name {@code key} as a publishing key
   * @throws IOException when the repository cannot be read or written
   */
  public Path signIndex(String channel, SigningKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    byte[] bytes = index(channel);
    Optional<KeyList> list = newest();
    if (list.isPresent() && !list.get().publishing().keyIds().contains(key.keyId())) {
      throw new IllegalArgumentException("key " + key.keyId() + " is not a publishing key of "
          + KeyList.path(list.get().version()) + " (publishing keys: "
          + list.get().publishing().keyIds() + "): installs would not count its signature");
    }
    ReleaseIndex index = parse(channel, bytes);
    Path signature = file(KeyList.signaturePath("channels/" + channel + ".json", key.keyId()));
    RepositoryFiles.write(signature, key.sign(bytes, "channel " + channel + " serial "
        + index.serial()).getBytes(StandardCharsets.UTF_8));
    return signature;
  }

  /**
   * Signs the timestamp of the index of {@code channel} with the online timestamp key: {@code
   * channels/<channel>.json.timestamp.minisig}, valid until {@code expires}. Run it again (from a
   * scheduled job) before it expires; the index itself is not changed.
   *
   * @param now the time {@code expires} must be after
   * @return the timestamp file written
   * @throws IllegalArgumentException when the channel has no index, {@code expires} is not in the
   *     future, or the newest key list names no timestamp key or another one
   * @throws IOException when the repository cannot be read or written
   */
  public Path timestamp(String channel, SigningKey key, Instant expires, Instant now)
      throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expires, "expires");
    byte[] bytes = index(channel);
    parse(channel, bytes);
    KeyList list = newest().orElseThrow(() -> new IllegalArgumentException(root + " has no key "
        + "list: a timestamp is checked only through one that names the timestamp key"));
    if (list.timestamp().isEmpty() || !list.timestamp().get().keyIds().contains(key.keyId())) {
      throw new IllegalArgumentException("key " + key.keyId() + " is not the timestamp key of "
          + KeyList.path(list.version()) + " (timestamp keys: " + list.timestamp()
          .map(KeyList.Role::keyIds).map(Object::toString).orElse("none") + "); publish a key "
          + "list naming it first");
    }
    if (!expires.isAfter(Objects.requireNonNull(now, "now"))) {
      throw new IllegalArgumentException("the timestamp would expire at " + expires
          + ", which is not after now (" + now + ")");
    }
    Path signature = file("channels/" + channel + ".json" + IndexTimestamp.SUFFIX);
    RepositoryFiles.write(signature, key.sign(bytes, IndexTimestamp.comment(channel, expires))
        .getBytes(StandardCharsets.UTF_8));
    return signature;
  }

  private byte[] index(String channel) throws IOException {
    if (!RepositoryWriter.isChannelName(Objects.requireNonNull(channel, "channel"))) {
      throw new IllegalArgumentException("'" + channel + "' is not a channel name");
    }
    try {
      return Files.readAllBytes(file("channels/" + channel + ".json"));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("channel '" + channel + "' has no index in " + root
          + "; publish a release on it first", e);
    }
  }

  private static ReleaseIndex parse(String channel, byte[] bytes) {
    try {
      return MetadataJson.read(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("the index of channel '" + channel + "' is not valid: "
          + e.getMessage(), e);
    }
  }

  private static void requireThreshold(Set<String> signers, KeyList.Role role, String whose) {
    long count = role.keyIds().stream().filter(signers::contains).count();
    if (count < role.threshold()) {
      throw new IllegalArgumentException("the signing keys hold " + count + " of " + whose + " "
          + role.keyIds() + ", " + role.threshold() + " needed; nothing was written");
    }
  }

  private static List<SigningKey> distinct(List<SigningKey> keys) {
    Set<String> seen = new LinkedHashSet<>();
    return keys.stream().filter(k -> seen.add(k.keyId())).toList();
  }

  private Path file(String relative) {
    return root.resolve(relative);
  }
}
