package dev.updater.cli;

import java.io.Console;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The password of a secret key: from the environment variable {@value #VARIABLE}, or asked for
 * at a terminal. Never printed or logged.
 */
final class KeyPasswords {
  /** The environment variable holding the password of the secret key. */
  static final String VARIABLE = "UPDATER_KEY_PASSWORD";

  private KeyPasswords() {}

  /**
   * The password to encrypt a new key with: the variable when it is set; otherwise, at a
   * terminal, one typed twice (empty for none); otherwise none.
   */
  static Optional<char[]> forNewKey() throws CliException {
    Optional<char[]> set = fromEnvironment();
    if (set.isPresent()) {
      return set;
    }
    Console console = System.console();
    if (console == null) {
      return Optional.empty();
    }
    char[] first = console.readPassword(
        "Password for the new secret key (empty: not encrypted): ");
    if (first == null || first.length == 0) {
      return Optional.empty();
    }
    char[] second = console.readPassword("The same password again: ");
    if (!Arrays.equals(first, second)) {
      throw CliException.usage("the two passwords differ; nothing was written");
    }
    return Optional.of(first);
  }

  /**
   * The password of the encrypted key {@code keyFile}: the variable when it is set; otherwise one
   * typed at a terminal.
   *
   * @throws CliException when neither is available
   */
  static char[] forKey(Path keyFile) throws CliException {
    Optional<char[]> set = fromEnvironment();
    if (set.isPresent()) {
      return set.get();
    }
    Console console = System.console();
    if (console == null) {
      throw CliException.usage("the secret key " + keyFile + " is encrypted: set " + VARIABLE
          + " to its password (or run at a terminal to be asked for it)");
    }
    char[] typed = console.readPassword("Password of %s: ", keyFile);
    return typed == null ? new char[0] : typed;
  }

  private static Optional<char[]> fromEnvironment() {
    String value = System.getenv(VARIABLE);
    return value == null || value.isEmpty() ? Optional.empty()
        : Optional.of(value.toCharArray());
  }
}
