package dev.updater.cli;

import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The options of {@code updater keys} that describe a key list's roles: {@code --root}, {@code
 * --publishing}, {@code --timestamp-key} (public key files), their thresholds, {@code --expires},
 * and the signing keys {@code --key}.
 */
final class KeyListOptions {
  private KeyListOptions() {}

  /** The secret keys of {@code --key}, each loaded (and decrypted) once; at least one. */
  static List<SigningKey> signers(Args args, String what) throws CliException {
    List<String> files = args.values("--key");
    if (files.isEmpty()) {
      throw CliException.usage("missing --key SECFILE: " + what);
    }
    List<SigningKey> keys = new ArrayList<>();
    for (String file : files) {
      keys.add(PublishOptions.load(file));
    }
    return keys;
  }

  /**
   * The role {@code option} names ({@code --root PUBFILE...} with {@code --root-threshold N}), or
   * empty when neither is given.
   */
  static Optional<KeyList.Role> role(Args args, String option, Optional<KeyList.Role> current)
      throws CliException {
    List<String> files = args.values("--" + option);
    Optional<String> threshold = args.value("--" + option + "-threshold");
    if (files.isEmpty() && threshold.isEmpty()) {
      return Optional.empty();
    }
    List<String> keys = new ArrayList<>();
    if (files.isEmpty()) {
      keys.addAll(current.orElseThrow(() -> CliException.usage("--" + option + "-threshold needs "
          + "--" + option + " PUBFILE...: there are no " + option + " keys yet")).keys());
    }
    for (String file : files) {
      keys.add(publicKey(file, "--" + option));
    }
    int n = threshold.isPresent() ? number(threshold.get(), "--" + option + "-threshold") : 1;
    try {
      return Optional.of(new KeyList.Role(n, keys));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--" + option + ": " + e.getMessage());
    }
  }

  /** The text of the public key file {@code file}, checked to be one. */
  static String publicKey(String file, String option) throws CliException {
    Path path = Installs.path(file, option);
    try {
      String text = Files.readString(path);
      new KeyList.Role(1, List.of(text));
      return text;
    } catch (NoSuchFileException e) {
      throw CliException.badArgument(option + " " + file + " does not exist; give a .pub file "
          + "written by 'updater keygen'", e);
    } catch (IOException e) {
      throw CliException.badArgument("cannot read " + option + " " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw CliException.badArgument(option + " " + file + ": " + e.getMessage() + "; give the "
          + ".pub file, not the secret key", e);
    }
  }

  /** {@code --expires}: a UTC time, or a duration from now such as {@code 365d}. */
  static Optional<Instant> expires(Args args, Instant now) throws CliException {
    Optional<String> text = args.value("--expires");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.get().matches("[0-9]+[dhm]")) {
      return Optional.of(now.truncatedTo(ChronoUnit.SECONDS)
          .plus(PublishOptions.duration(text.get())));
    }
    try {
      return Optional.of(Instant.parse(text.get()));
    } catch (DateTimeParseException e) {
      throw CliException.usage("--expires '" + text.get() + "' must be a UTC time such as "
          + "2027-12-31T00:00:00Z or a duration such as 365d");
    }
  }

  static int number(String text, String option) throws CliException {
    if (!text.matches("[1-9][0-9]{0,2}")) {
      throw CliException.usage(option + " '" + text + "' must be a number from 1");
    }
    return Integer.parseInt(text);
  }
}
