package dev.updater.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.repository.RepositoryKeys;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code updater keys init|rotate|revoke|sign|show}: the repository's signed key lists ({@code
 * keys/N.json}) that installs configured with {@code --trust-root} follow, through {@link
 * RepositoryKeys}. A refused command writes nothing.
 */
final class KeysCommand implements Command {

  @Override
  public String name() {
    return "keys";
  }

  @Override
  public String summary() {
    return "publish the repository's signed key lists: init, rotate, revoke, sign, show";
  }

  @Override
  public String usage() {
    return "updater keys (init|rotate|revoke|sign|show) --repo DIR [--key SECFILE]... "
        + "[--root PUBFILE]... [--root-threshold N] [--publishing PUBFILE]... "
        + "[--publishing-threshold N] [--timestamp-key PUBFILE | --no-timestamp] "
        + "[--expires TIME] [--revoke KEYID]... [--channel NAME] [--json]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  init      write keys/1.json: --publishing PUBFILE... (the keys that sign indexes),",
        "            --root PUBFILE... (default: the public keys of --key), signed by --key",
        "            (the root secret keys, kept offline)",
        "  rotate    write the next key list: the newest one with the roles given replaced;",
        "            signed by --key: enough root keys of the newest list and of the new one",
        "  revoke    write the next key list without the keys --revoke KEYID names",
        "  sign      add --key's signature of the index of --channel (threshold of several",
        "            publishing keys): channels/NAME.json.KEYID.minisig",
        "  show      print the newest key list",
        "  --repo DIR                the repository",
        "  --key SECFILE             a secret key that signs; repeat for several",
        "  --root PUBFILE            a root key of the new list; repeat for several",
        "  --root-threshold N        how many root keys must sign the next list (default 1)",
        "  --publishing PUBFILE      a publishing key of the new list; repeat for several",
        "  --publishing-threshold N  how many publishing keys must sign an index (default 1)",
        "  --timestamp-key PUBFILE   the online key that signs timestamps ('updater timestamp');",
        "                            installs then need a fresh timestamp on every index",
        "  --no-timestamp            rotate: drop the timestamp key",
        "  --expires TIME            when the list expires: 2027-12-31T00:00:00Z or 365d",
        "  --channel NAME            sign: the channel (default: stable)",
        "  --json                    print one JSON object: {version, root, publishing,",
        "                            timestamp, expires, signedBy}",
        "Secret keys are decrypted with UPDATER_KEY_PASSWORD, or a password typed at a terminal.");
  }

  @Override
  public Set<String> valued() {
    return Set.of("--repo", "--key", "--root", "--root-threshold", "--publishing",
        "--publishing-threshold", "--timestamp-key", "--expires", "--revoke", "--channel");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--no-timestamp", "--json");
  }

  @Override
  public boolean operands() {
    return true;
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    if (args.operands().size() != 1) {
      throw CliException.usage("give one action: init, rotate, revoke, sign or show");
    }
    String action = args.operands().get(0);
    Path repo = Installs.path(args.required("--repo", "DIR: the repository"), "--repo");
    RepositoryKeys keys = RepositoryKeys.at(repo);
    Optional<KeyList> newest = newest(keys);
    if (action.equals("show")) {
      report(newest.orElseThrow(() -> CliException.refused(repo + " has no key list; create "
          + "one with 'updater keys init'")), List.of(), env);
      return Exit.OK;
    }
    if (action.equals("sign")) {
      return sign(args, keys, env);
    }
    KeyList next = switch (action) {
      case "init" -> init(args, newest, repo);
      case "rotate" -> rotate(args, requireList(newest, repo), env);
      case "revoke" -> revoke(args, requireList(newest, repo));
      default -> throw CliException.usage("unknown action '" + action + "': give init, rotate, "
          + "revoke, sign or show");
    };
    List<SigningKey> signers = KeyListOptions.signers(args, "the root secret keys that sign the "
        + "key list");
    try {
      keys.publish(next, signers);
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot write the key list into " + repo + ": " + e,
          e);
    } catch (IllegalArgumentException e) {
      throw CliException.refused(e.getMessage());
    }
    env.out().println("wrote " + KeyList.path(next.version()));
    report(next, signers.stream().map(SigningKey::keyId).distinct().toList(), env);
    return Exit.OK;
  }

  private static KeyList init(Args args, Optional<KeyList> newest, Path repo)
      throws CliException {
    if (newest.isPresent()) {
      throw CliException.refused(repo + " already has key list " + newest.get().version()
          + "; use 'updater keys rotate' to change it");
    }
    KeyList.Role publishing = KeyListOptions.role(args, "publishing", Optional.empty())
        .orElseThrow(() -> CliException.usage("missing --publishing PUBFILE: the key that signs "
            + "indexes (the --key of 'updater publish')"));
    Optional<KeyList.Role> root = KeyListOptions.role(args, "root", Optional.empty());
    if (root.isEmpty()) {
      List<String> own = new ArrayList<>();
      for (SigningKey k : KeyListOptions.signers(args, "the root secret key")) {
        own.add(k.publicKeyText());
      }
      root = Optional.of(new KeyList.Role(1, own));
    }
    if (args.flag("--no-timestamp")) {
      throw CliException.usage("--no-timestamp is for rotate: a first list has no timestamp key "
          + "unless --timestamp-key names one");
    }
    return new KeyList(1, KeyListOptions.expires(args, java.time.Instant.now()), root.get(),
        publishing, timestamp(args, Optional.empty()));
  }

  private static KeyList rotate(Args args, KeyList newest, Env env) throws CliException {
    KeyList.Role root = KeyListOptions.role(args, "root", Optional.of(newest.root()))
        .orElse(newest.root());
    KeyList.Role publishing = KeyListOptions.role(args, "publishing",
        Optional.of(newest.publishing())).orElse(newest.publishing());
    Optional<KeyList.Role> timestamp = timestamp(args, newest.timestamp());
    if (args.flag("--no-timestamp")) {
      if (args.value("--timestamp-key").isPresent()) {
        throw CliException.usage("--timestamp-key and --no-timestamp contradict each other");
      }
      timestamp = Optional.empty();
    }
    Optional<java.time.Instant> expires = KeyListOptions.expires(args, env.clock().instant())
        .or(newest::expires);
    return new KeyList(newest.version() + 1, expires, root, publishing, timestamp);
  }

  private static KeyList revoke(Args args, KeyList newest) throws CliException {
    List<String> ids = args.values("--revoke");
    if (ids.isEmpty()) {
      throw CliException.usage("missing --revoke KEYID: the id of the key to revoke ('updater "
          + "keys show' lists them)");
    }
    for (String id : ids) {
      boolean known = newest.root().keyIds().contains(id)
          || newest.publishing().keyIds().contains(id)
          || newest.timestamp().map(t -> t.keyIds().contains(id)).orElse(false);
      if (!known) {
        throw CliException.refused("key " + id + " is in no role of "
            + KeyList.path(newest.version()) + "; 'updater keys show' lists the key ids");
      }
    }
    Optional<KeyList.Role> timestamp = newest.timestamp().isEmpty() ? Optional.empty()
        : without(newest.timestamp().get(), ids, "timestamp", true);
    return new KeyList(newest.version() + 1, newest.expires(),
        without(newest.root(), ids, "root", false).orElseThrow(),
        without(newest.publishing(), ids, "publishing", false).orElseThrow(), timestamp);
  }

  /** {@code role} without the keys {@code ids}; empty when none is left and that is allowed. */
  private static Optional<KeyList.Role> without(KeyList.Role role, List<String> ids, String name,
      boolean mayEmpty) throws CliException {
    List<String> kept = new ArrayList<>();
    for (String key : role.keys()) {
      if (!ids.contains(new KeyList.Role(1, List.of(key)).keyIds().get(0))) {
        kept.add(key);
      }
    }
    if (kept.isEmpty()) {
      if (mayEmpty) {
        return Optional.empty();
      }
      throw CliException.refused("revoking " + ids + " would leave no " + name + " key; add a "
          + "new one first with 'updater keys rotate --" + name + " PUBFILE'");
    }
    if (kept.size() < role.threshold()) {
      throw CliException.refused("revoking " + ids + " would leave " + kept.size() + " " + name
          + " key(s), fewer than its threshold " + role.threshold() + "; lower it with 'updater "
          + "keys rotate --" + name + "-threshold N' first, or add keys");
    }
    return Optional.of(new KeyList.Role(role.threshold(), kept));
  }

  private static Optional<KeyList.Role> timestamp(Args args, Optional<KeyList.Role> current)
      throws CliException {
    Optional<String> file = args.value("--timestamp-key");
    if (file.isEmpty()) {
      return current;
    }
    return Optional.of(new KeyList.Role(1, List.of(KeyListOptions.publicKey(file.get(),
        "--timestamp-key"))));
  }

  private static int sign(Args args, RepositoryKeys keys, Env env) throws CliException {
    String channel = args.value("--channel").orElse("stable");
    List<SigningKey> signers = KeyListOptions.signers(args, "the publishing secret key");
    for (SigningKey key : signers) {
      try {
        Path written = keys.signIndex(channel, key);
        env.out().println("wrote " + written + " (signed by " + key.keyId() + ")");
      } catch (IOException e) {
        throw CliException.failed(Exit.FAILED, "cannot sign the index: " + e, e);
      } catch (IllegalArgumentException e) {
        throw CliException.refused(e.getMessage());
      }
    }
    env.json().ifPresent(j -> array(j.node().put("channel", channel), "signedBy",
        signers.stream().map(SigningKey::keyId).toList()));
    return Exit.OK;
  }

  private static Optional<KeyList> newest(RepositoryKeys keys) throws CliException {
    try {
      return keys.newest();
    } catch (IOException | IllegalArgumentException e) {
      throw CliException.failed(Exit.FAILED, "cannot read the key lists: " + e.getMessage(), e);
    }
  }

  private static KeyList requireList(Optional<KeyList> newest, Path repo) throws CliException {
    return newest.orElseThrow(() -> CliException.refused(repo + " has no key list yet; create "
        + "the first with 'updater keys init'"));
  }

  private static void report(KeyList list, List<String> signedBy, Env env) {
    env.out().println("key list " + list.version() + ": root " + list.root().threshold() + " of "
        + list.root().keyIds() + ", publishing " + list.publishing().threshold() + " of "
        + list.publishing().keyIds() + list.timestamp().map(t -> ", timestamp " + t.keyIds())
            .orElse(", no timestamp key") + list.expires().map(e -> ", expires " + e).orElse(""));
    env.json().ifPresent(j -> {
      ObjectNode node = j.node().put("version", list.version())
          .put("rootThreshold", list.root().threshold())
          .put("publishingThreshold", list.publishing().threshold());
      array(node, "root", list.root().keyIds());
      array(node, "publishing", list.publishing().keyIds());
      array(node, "timestamp", list.timestamp().map(KeyList.Role::keyIds).orElse(List.of()));
      list.expires().ifPresent(e -> node.put("expires", e.toString()));
      array(node, "signedBy", signedBy);
    });
  }

  private static void array(ObjectNode node, String name, List<String> values) {
    values.forEach(node.putArray(name)::add);
  }
}
