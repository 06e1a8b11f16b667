package dev.updater.cli;

import dev.updater.core.Artifact;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Requirements;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.Version;
import dev.updater.core.repository.IndexFormat;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code updater publish}: copies artifacts into a static update repository, adds the release to
 * the channel index (serial + 1, a fresh expiry), writes the index atomically and signs it.
 * Re-publishing a version with other bytes is refused unless {@code --force}.
 */
final class PublishCommand implements Command {
  private static final Duration DEFAULT_EXPIRY = Duration.ofDays(30);

  @Override
  public String name() {
    return "publish";
  }

  @Override
  public String summary() {
    return "add a release to a static update repository and sign the channel index";
  }

  @Override
  public String usage() {
    return "updater publish --repo DIR --version V [--key FILE] [--channel NAME] "
        + "[--artifact FILE]... [options] [FILE...]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --repo DIR            the repository: channels/<channel>.json, releases/<V>/<file>",
        "  --version V           the release version (Semantic Versioning: 1.2.0, 2.0.0-rc.1)",
        "  --artifact FILE       an artifact (.tar.gz, .tgz or .zip); repeat for more, or list",
        "                        the files as operands. The first is the one installed",
        "  --key FILE            the secret key from 'updater keygen'; signs the index as",
        "                        channels/<channel>.json.minisig. Required once a channel is signed",
        "  --channel NAME        the channel (default: stable)",
        "  --notes TEXT          release notes",
        "  --notes-file FILE     release notes read from a UTF-8 file",
        "  --requires-db LIST    database providers the release supports, comma-separated or",
        "                        repeated (postgresql,sqlite); default any",
        "  --upgrades-from V     the oldest installed version this release can upgrade",
        "                        (alias --min-from)",
        "  --expires-in TIME     how long the index stays valid: 30d (default), 12h, 90m",
        "  --application NAME    the application name in a new index (default: the name of the",
        "                        repository directory); must match an existing index",
        "  --rollout N           offer the release to N percent of the installs (0 halts it,",
        "                        100 is every install, the default). On a published version,",
        "                        without artifacts, it only changes the percentage and re-signs",
        "  --force               replace a published version whose bytes differ, and re-sign an",
        "                        index whose signature the key does not verify (key rotation)",
        "  --no-manifest         write no per-file manifest and objects (installs then always",
        "                        download the whole archive)",
        "Artifacts, the per-file manifest and objects/ are written before the index, each file",
        "atomically.");
  }

  @Override
  public Set<String> valued() {
    return Set.of("--repo", "--version", "--artifact", "--key", "--channel", "--notes",
        "--notes-file", "--requires-db", "--upgrades-from", "--min-from", "--expires-in",
        "--application", "--rollout");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--force", "--no-manifest");
  }

  @Override
  public boolean operands() {
    return true;
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    Path repo = Installs.path(args.required("--repo", "DIR: the update repository"), "--repo");
    Version version = version(args.required("--version", "V: the release version"), "--version");
    String channel = args.value("--channel").orElse("stable");
    if (!IndexFormat.isChannelName(channel)) {
      throw CliException.usage("--channel '" + channel + "' is not a channel name: a letter or "
          + "digit, then letters, digits, '.', '_' or '-'");
    }
    OptionalInt rollout = rollout(args);
    // A rollout change names no artifact: it re-signs the index with the new percentage.
    boolean rolloutOnly = rollout.isPresent() && args.values("--artifact").isEmpty()
        && args.operands().isEmpty();
    List<Path> files = rolloutOnly ? List.of() : artifactFiles(args);
    String notes = notes(args);
    Requirements requires = requirements(args);
    Duration expiresIn = duration(args.value("--expires-in").orElse(null));
    boolean force = args.flag("--force");
    Optional<SigningKey> key = key(args);

    Path indexFile = repo.resolve("channels").resolve(channel + ".json");
    Path signatureFile = repo.resolve("channels").resolve(channel + ".json.minisig");
    Optional<ReleaseIndex> existing = existingIndex(indexFile);
    if (existing.isPresent() && Files.exists(signatureFile)) {
      if (key.isEmpty()) {
        throw CliException.refused("channel " + channel + " is signed (" + signatureFile
            + " exists) but no --key was given: an unsigned index would be refused by every "
            + "install that checks signatures; pass --key FILE");
      }
      if (!force) {
        checkExistingSignature(repo, channel, key.get());
      }
    }
    String application = application(args, existing, repo);

    List<Artifact> artifacts = new ArrayList<>();
    for (Path file : files) {
      artifacts.add(artifact(file, version));
    }
    Optional<Release> published = existing.flatMap(i -> i.find(version));
    if (rolloutOnly && published.isEmpty()) {
      throw CliException.usage("version " + version + " is not published on channel " + channel
          + "; a new release needs its artifact (--artifact FILE) besides --rollout");
    }
    if (!rolloutOnly && published.isPresent() && !sameBytes(published.get().artifacts(), artifacts) && !force) {
      throw CliException.refused("version " + version + " is already published on channel "
          + channel + " with other artifacts (" + summary(published.get().artifacts())
          + "); publish a new version, or pass --force to replace it (installs that already "
          + "downloaded it will refuse the changed bytes)");
    }
    for (int i = 0; i < files.size(); i++) {
      copyArtifact(repo, version, files.get(i), artifacts.get(i), force);
    }

    Instant now = env.clock().instant();
    // Re-publishing keeps the rollout unless --rollout changes it; a new release goes to all.
    int percent = rollout.orElse(published.map(Release::rollout).orElse(Release.FULL_ROLLOUT));
    Release release;
    if (rolloutOnly) {
      release = published.get().withRollout(percent); // its artifacts and manifest stay
    } else {
      release = new Release(version, channel, artifacts, requires, notes, Optional.of(now),
          percent);
      if (!args.flag("--no-manifest")) {
        release = release.withManifest(
            ManifestPublishing.publish(repo, version, files.get(0), artifacts.get(0), env));
      }
    }
    artifacts = release.artifacts();
    List<Release> releases = new ArrayList<>();
    existing.ifPresent(i -> i.releases().stream()
        .filter(r -> !r.version().equals(version)).forEach(releases::add));
    releases.add(release);
    releases.sort(Comparator.comparing(Release::version));
    long serial = existing.map(i -> i.serial() + 1).orElse(1L);
    ReleaseIndex index = new ReleaseIndex(application, channel, serial,
        Optional.of(now.plus(expiresIn)), releases);
    byte[] bytes;
    try {
      bytes = IndexFormat.write(index);
    } catch (IllegalArgumentException e) {
      throw CliException.failed(Exit.FAILED, "the new index cannot be written: " + e.getMessage(),
          e);
    }
    try {
      if (key.isPresent()) {
        AtomicWrite.write(signatureFile, key.get().sign(bytes,
            "channel " + channel + " serial " + serial).getBytes(StandardCharsets.UTF_8));
      }
      AtomicWrite.write(indexFile, bytes);
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot write " + indexFile + ": " + e
          + "; the artifacts are in place, run publish again once the repository is writable", e);
    }
    env.out().println("published " + version + " on channel " + channel + " of " + application
        + " (serial " + serial + ", index expires " + index.expires().orElseThrow() + ")"
        + (percent == Release.FULL_ROLLOUT ? "" : percent == 0 ? ", rollout halted (0%)"
            : ", rollout " + percent + "%"));
    for (Artifact a : artifacts) {
      env.out().println("  " + a.location() + "  " + a.size() + " bytes  sha256 " + a.sha256());
    }
    if (key.isPresent()) {
      env.out().println("signed " + repo.relativize(signatureFile) + " with key "
          + key.get().keyId());
    } else {
      env.err().println("warning: " + indexFile + " is not signed; installs must use --unsigned."
          + " Create a key with 'updater keygen' and publish with --key to sign it.");
    }
    return Exit.OK;
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

  private static Optional<SigningKey> key(Args args) throws CliException {
    Optional<String> file = args.value("--key");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SigningKey.load(Installs.path(file.get(), "--key")));
    } catch (NoSuchFileException e) {
      throw CliException.badArgument("--key " + file.get() + " does not exist; create a key with "
          + "'updater keygen --out DIR' and pass DIR/updater.key", e);
    } catch (IOException e) {
      throw CliException.badArgument("cannot read --key " + file.get() + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw CliException.badArgument("--key " + file.get() + ": " + e.getMessage(), e);
    }
  }

  private static Optional<ReleaseIndex> existingIndex(Path indexFile) throws CliException {
    if (!Files.exists(indexFile)) {
      return Optional.empty();
    }
    try {
      if (Files.size(indexFile) > IndexFormat.MAX_INDEX_BYTES) {
        throw CliException.failed(Exit.VERIFICATION, indexFile + " is larger than "
            + IndexFormat.MAX_INDEX_BYTES + " bytes; it is not an index this tool wrote", null);
      }
      return Optional.of(IndexFormat.read(Files.readAllBytes(indexFile)));
    } catch (VerificationException e) {
      throw CliException.failed(Exit.VERIFICATION, indexFile + " is not a valid index: "
          + e.getMessage() + "; repair it, or move it away to start the channel afresh", e);
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot read " + indexFile + ": " + e, e);
    }
  }

  /**
   * Refuses to re-sign an index that the publishing key does not verify: it was changed after it
   * was signed, or signed by another key.
   */
  private static void checkExistingSignature(Path repo, String channel, SigningKey key)
      throws CliException {
    try {
      DirectoryReleaseSource.of(repo, TrustedKeys.parse(key.publicKeyText())).index(channel);
    } catch (VerificationException e) {
      throw CliException.refused("the current index of channel " + channel + " does not verify "
          + "with key " + key.keyId() + ": " + e.getMessage() + ". It was changed after it was "
          + "signed, or signed by another key. Check the repository for tampering; to re-sign it "
          + "with this key anyway (after a key rotation), pass --force");
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot read the index of channel " + channel
          + " in " + repo + ": " + e, e);
    }
  }

  private static String application(Args args, Optional<ReleaseIndex> existing, Path repo)
      throws CliException {
    Optional<String> given = args.value("--application");
    if (given.isPresent() && given.get().isBlank()) {
      throw CliException.usage("--application must not be empty");
    }
    if (existing.isPresent()) {
      String current = existing.get().application();
      if (given.isPresent() && !given.get().equals(current)) {
        throw CliException.refused("the index belongs to application '" + current + "', not '"
            + given.get() + "'; drop --application or publish to another repository");
      }
      return current;
    }
    if (given.isPresent()) {
      return given.get();
    }
    Path name = repo.toAbsolutePath().normalize().getFileName();
    return name == null ? "application" : name.toString();
  }

  private static Artifact artifact(Path file, Version version) throws CliException {
    String name = file.getFileName().toString();
    long size;
    String sha256;
    try {
      size = Files.size(file);
      sha256 = sha256(file);
      if (Files.size(file) != size) {
        throw CliException.failed(Exit.FAILED, "artifact " + file + " changed while it was being "
            + "read; publish it once it is complete", null);
      }
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot read artifact " + file + ": " + e, e);
    }
    String location;
    try {
      location = new URI(null, null, "releases/" + version + "/" + name, null).getRawPath();
    } catch (URISyntaxException e) {
      throw CliException.badArgument("artifact name " + name + " cannot be part of a URL: "
          + e.getMessage(), e);
    }
    try {
      return new Artifact(name, size, sha256, location);
    } catch (IllegalArgumentException e) {
      throw CliException.badArgument(e.getMessage(), e);
    }
  }

  private static boolean sameBytes(List<Artifact> a, List<Artifact> b) {
    return summary(a).equals(summary(b));
  }

  private static String summary(List<Artifact> artifacts) {
    List<String> parts = new ArrayList<>();
    for (Artifact a : artifacts) {
      parts.add(a.name() + " sha256 " + a.sha256().substring(0, 12) + "...");
    }
    return String.join(", ", parts);
  }

  /** Copies the artifact to releases/V/name, unless the same bytes are already there. */
  private static void copyArtifact(Path repo, Version version, Path file, Artifact artifact,
      boolean force) throws CliException {
    Path target = repo.resolve("releases").resolve(version.toString()).resolve(artifact.name());
    try {
      if (Files.exists(target)) {
        if (Files.size(target) == artifact.size()
            && sha256(target).equals(artifact.sha256())) {
          return;
        }
        if (!force) {
          throw CliException.refused(target + " already exists with other bytes (another "
              + "channel published this version); publish a new version, or pass --force");
        }
      }
      AtomicWrite.copy(file, target);
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot copy " + file + " to " + target + ": " + e
          + "; check that the repository is writable", e);
    }
  }

  /** The lower-case hex SHA-256 of a file. */
  private static String sha256(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
