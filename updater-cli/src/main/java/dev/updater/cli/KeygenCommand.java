package dev.updater.cli;

import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** {@code updater keygen}: a new signing key pair, never over an existing one. */
final class KeygenCommand implements Command {

  @Override
  public String name() {
    return "keygen";
  }

  @Override
  public String summary() {
    return "create a signing key pair (NAME.key, secret; NAME.pub, public)";
  }

  @Override
  public String usage() {
    return "updater keygen --out DIR [--name NAME] [--json]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --out DIR     the directory to write the keys to (created if missing)",
        "  --name NAME   the file name of both keys (default: updater): DIR/NAME.key is the",
        "                secret key (mode 0600), DIR/NAME.pub the public key",
        "The secret key is encrypted (minisign's format, scrypt) with the password in",
        "UPDATER_KEY_PASSWORD, or one typed at a terminal; without either it is not encrypted.",
        "  --json        print one JSON object: {keyId, secretKey, publicKey, encrypted}",
        "Refuses to overwrite an existing key.");
  }

  @Override
  public Set<String> valued() {
    return Set.of("--out", "--name");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--json");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    Path dir = Installs.path(args.required("--out", "DIR: where to write the keys"), "--out");
    String name = args.value("--name").orElse("updater");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw CliException.usage("--name '" + name + "' must be a plain file name: a letter or "
          + "digit, then letters, digits, '.', '_' or '-'");
    }
    Path secret = dir.resolve(name + ".key");
    Path pub = dir.resolve(name + ".pub");
    for (Path p : new Path[] {secret, pub}) {
      if (Files.exists(p)) {
        throw CliException.refused(p + " already exists; a key is never overwritten. Choose "
            + "another --out or --name, or move the old key away first");
      }
    }
    Optional<char[]> password = KeyPasswords.forNewKey();
    SigningKey key = SigningKey.generate();
    try {
      Files.createDirectories(dir);
      key.writeTo(secret, pub, password.orElse(null));
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot write the keys to " + dir + ": " + e
          + "; check that the directory is writable", e);
    }
    env.json().ifPresent(j -> j.node().put("keyId", key.keyId())
        .put("secretKey", secret.toString()).put("publicKey", pub.toString())
        .put("encrypted", password.isPresent()));
    env.out().println("key id " + key.keyId());
    env.out().println("secret key: " + secret + (password.isPresent()
        ? " (encrypted with the password; publish --key uses it with " + KeyPasswords.VARIABLE
            + " or asks for it)"
        : " (NOT encrypted: keep it private, or set " + KeyPasswords.VARIABLE
            + " when making a key; publish --key uses it)"));
    env.out().println("public key: " + pub + " (give it to installs: --trust " + pub + ")");
    return Exit.OK;
  }
}
