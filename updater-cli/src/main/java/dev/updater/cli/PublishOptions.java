package dev.updater.cli;

import dev.updater.core.Requirements;
import dev.updater.core.Version;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The arguments of {@code updater publish}, read and checked before anything is written, so that
 * a usage error never leaves half a publication.
 *
 * @param repo the repository directory
 * @param version the release version
 * @param channel the channel, a valid channel name
 * @param rollout the {@code --rollout} percentage, if given
 * @param rolloutOnly true when only the rollout of a published version changes (no artifact)
 * @param files the artifacts, the installed one first; empty when {@code rolloutOnly}
 * @param notes the release notes, possibly empty
 * @param requirements what the release requires of an install
 * @param expiresIn how long the new index stays valid
 * @param force replace other bytes and re-sign an index the key does not verify
 * @param manifest write the per-file manifest and objects
 * @param key the signing key, if given
 * @param application the {@code --application} name, if given
 */
record PublishOptions(Path repo, Version version, String channel, OptionalInt rollout,
    boolean rolloutOnly, List<Path> files, String notes, Requirements requirements,
    Duration expiresIn, boolean force, boolean manifest, Optional<SigningKey> key,
    Optional<String> application) {
  private static final Duration DEFAULT_EXPIRY = Duration.ofDays(30);

  /** Reads the options of {@code publish}; usage and argument errors name the option. */
  static PublishOptions parse(Args args) throws CliException {
    Path repo = Installs.path(args.required("--repo", "DIR: the update repository"), "--repo");
    Version version = version(args.required("--version", "V: the release version"), "--version");
    String channel = args.value("--channel").orElse("stable");
    if (!RepositoryWriter.isChannelName(channel)) {
      throw CliException.usage("--channel '" + channel + "' is not a channel name: a letter or "
          + "digit, then letters, digits, '.', '_' or '-'");
    }
    OptionalInt rollout = rollout(args);
    // A rollout change names no artifact: it re-signs the index with the new percentage.
    boolean rolloutOnly = rollout.isPresent() && args.values("--artifact").isEmpty()
        && args.operands().isEmpty();
    List<Path> files = rolloutOnly ? List.of() : artifactFiles(args);
    String notes = notes(args);
    Requirements requirements = requirements(args);
    Duration expiresIn = duration(args.value("--expires-in").orElse(null));
    Optional<SigningKey> key = key(args);
    Optional<String> application = args.value("--application");
    if (application.isPresent() && application.get().isBlank()) {
      throw CliException.usage("--application must not be empty");
    }
    return new PublishOptions(repo, version, channel, rollout, rolloutOnly, files, notes,
        requirements, expiresIn, args.flag("--force"), !args.flag("--no-manifest"), key,
        application);
  }

  /** Parses a version argument, or a usage error naming the option. */
  static Version version(String text, String option) throws CliException {
    try {
      return Version.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(option + " " + e.getMessage());
    }
  }

  /** Parses {@code 30d}, {@code 12h} or {@code 90m}; {@code null} gives the default, 30 days. */
  static Duration duration(String text) throws CliException {
    if (text == null) {
      return DEFAULT_EXPIRY;
    }
    if (text.matches("[1-9][0-9]{0,5}[dhm]")) {
      long n = Long.parseLong(text.substring(0, text.length() - 1));
      switch (text.charAt(text.length() - 1)) {
        case 'd':
          return Duration.ofDays(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          return Duration.ofMinutes(n);
      }
    }
    throw CliException.usage("--expires-in '" + text + "' must be a positive number followed by "
        + "d (days), h (hours) or m (minutes), such as 30d");
  }

  /** The {@code --rollout} percentage, 0 (halted) to 100 (every install), if given. */
  private static OptionalInt rollout(Args args) throws CliException {
    Optional<String> text = args.value("--rollout");
    if (text.isEmpty()) {
      return OptionalInt.empty();
    }
    if (!text.get().matches("[0-9]{1,3}") || Integer.parseInt(text.get()) > 100) {
      throw CliException.usage("--rollout '" + text.get() + "' must be a percentage from 0 "
          + "(halted) to 100 (every install)");
    }
    return OptionalInt.of(Integer.parseInt(text.get()));
  }

  private static List<Path> artifactFiles(Args args) throws CliException {
    List<String> names = new ArrayList<>(args.values("--artifact"));
    names.addAll(args.operands());
    if (names.isEmpty()) {
      throw CliException.usage("missing the artifact: give --artifact FILE (or the file as an "
          + "operand), such as myapp-1.2.0.tar.gz");
    }
    List<Path> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      Path file = Installs.path(name, "--artifact");
      if (!Files.isRegularFile(file)) {
        throw CliException.badArgument("artifact " + file + " is not a file; build it first, or "
            + "correct the path", null);
      }
      if (!seen.add(file.getFileName().toString())) {
        throw CliException.usage("two artifacts are named " + file.getFileName()
            + "; the files of one release need different names");
      }
      files.add(file);
    }
    return files;
  }

  private static String notes(Args args) throws CliException {
    Optional<String> text = args.value("--notes");
    Optional<String> file = args.value("--notes-file");
    if (text.isPresent() && file.isPresent()) {
      throw CliException.usage("give --notes or --notes-file, not both");
    }
    if (file.isPresent()) {
      try {
        return Files.readString(Installs.path(file.get(), "--notes-file"), StandardCharsets.UTF_8)
            .strip();
      } catch (IOException e) {
        throw CliException.badArgument("cannot read --notes-file " + file.get() + ": " + e, e);
      }
    }
    return text.orElse("");
  }

  private static Requirements requirements(Args args) throws CliException {
    Set<String> providers = new LinkedHashSet<>();
    for (String list : args.values("--requires-db")) {
      for (String p : list.split(",")) {
        if (!p.isBlank()) {
          providers.add(p.trim());
        }
      }
    }
    Optional<String> from = args.value("--upgrades-from");
    Optional<String> alias = args.value("--min-from");
    if (from.isPresent() && alias.isPresent()) {
      throw CliException.usage("--min-from is another name for --upgrades-from; give one");
    }
    Optional<Version> upgradesFrom = Optional.empty();
    if (from.or(() -> alias).isPresent()) {
      upgradesFrom = Optional.of(version(from.or(() -> alias).get(), "--upgrades-from"));
    }
    return new Requirements(providers, upgradesFrom);
  }

  static Optional<SigningKey> key(Args args) throws CliException {
    Optional<String> file = args.value("--key");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(load(file.get()));
  }

  /** The secret key in {@code file} (an argument of {@code --key}), decrypted when it must be. */
  static SigningKey load(String file) throws CliException {
    Path keyFile = Installs.path(file, "--key");
    try {
      char[] password = SigningKey.isEncrypted(keyFile) ? KeyPasswords.forKey(keyFile) : null;
      return SigningKey.load(keyFile, password);
    } catch (NoSuchFileException e) {
      throw CliException.badArgument("--key " + file + " does not exist; create a key with "
          + "'updater keygen --out DIR' and pass DIR/updater.key", e);
    } catch (IOException e) {
      throw CliException.badArgument("cannot read --key " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      String hint = e.getMessage().contains("password is wrong")
          ? " (the password comes from " + KeyPasswords.VARIABLE + ")" : "";
      throw CliException.badArgument("--key " + file + ": " + e.getMessage() + hint, e);
    }
  }
}
