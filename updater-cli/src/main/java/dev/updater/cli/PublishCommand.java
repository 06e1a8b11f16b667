package dev.updater.cli;

import dev.updater.core.Artifact;
import dev.updater.core.Platform;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.repository.RepositoryReader;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.repository.RepositoryWriter.IfDifferent;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.repository.RepositoryKeys;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code updater publish}: copies artifacts into a static update repository, adds the release to
 * the channel index (serial + 1, a fresh expiry), writes the index atomically and signs it, all
 * through {@link RepositoryWriter}. Re-publishing a version with other bytes is refused unless
 * {@code --force}.
 */
final class PublishCommand implements Command {

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
        + "[--artifact FILE]... [--platform P] [options] [FILE...]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --repo DIR            the repository: channels/<channel>.json, releases/<V>/<file>",
        "  --version V           the release version (Semantic Versioning: 1.2.0, 2.0.0-rc.1)",
        "  --artifact FILE       an artifact (.tar.gz, .tgz or .zip, or a plain file such as a",
        "                        binary or jar, installed with 'install --layout single-file');",
        "                        repeat for more, or list the files as operands. The first is",
        "                        the one installed",
        "  --key FILE            the secret key from 'updater keygen'; signs the index as",
        "                        channels/<channel>.json.minisig. Required once a channel is "
            + "signed",
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
        "  --json                print one JSON object: version, channel, application, serial,",
        "                        expires, rollout, signedBy, artifacts [{name, url, size, sha256,",
        "                        platform}]",
        "  --revoke V --reason TEXT  instead of publishing, revoke the published version V:",
        "                        installs never offer it again, refuse it by name, and report",
        "                        it with TEXT (or roll back from it, in auto mode) when they run",
        "                        it. Takes --repo, --key, --channel and --expires-in",
        PlatformPublishing.HELP,
        "Artifacts, the per-file manifest and objects/ are written before the index, each file",
        "atomically.");
  }

  @Override
  public Set<String> valued() {
    return Set.of("--repo", "--version", "--artifact", "--key", "--channel", "--notes",
        "--notes-file", "--requires-db", "--upgrades-from", "--min-from", "--expires-in",
        "--application", "--rollout", "--revoke", "--reason", "--platform");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--force", "--no-manifest", "--json");
  }

  @Override
  public boolean operands() {
    return true;
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    if (args.value("--revoke").isPresent()) {
      return Revoking.run(args, env);
    }
    PublishOptions options = PublishOptions.parse(args);
    RepositoryWriter writer = options.key()
        .map(k -> RepositoryWriter.signed(options.repo(), k))
        .orElseGet(() -> RepositoryWriter.unsigned(options.repo()));
    Optional<ReleaseIndex> existing = existingIndex(writer, options.channel());
    if (existing.isPresent() && writer.isSigned(options.channel())) {
      if (options.key().isEmpty()) {
        throw CliException.refused("channel " + options.channel() + " is signed ("
            + writer.signatureFile(options.channel()) + " exists) but no --key was given: an "
            + "unsigned index would be refused by every install that checks signatures; pass "
            + "--key FILE");
      }
      if (!options.force()) {
        checkExistingSignature(options.repo(), options.channel(), options.key().get());
      }
    }
    String application = application(options, existing);
    Optional<Release> published = existing.flatMap(i -> i.find(options.version()));
    Instant now = env.clock().instant();
    Optional<Platform> platform = PlatformPublishing.platform(args);
    Release release = options.rolloutOnly()
        ? rolloutChange(options, published)
        : platform.isPresent()
            ? PlatformPublishing.release(writer, options, platform.get(), published, now, env)
            : newRelease(writer, options, published, now, env);
    ReleaseIndex index;
    try {
      index = writer.publish(application, release, now.plus(options.expiresIn()));
    } catch (IllegalArgumentException e) {
      throw CliException.failed(Exit.FAILED, "the new index cannot be written: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot write "
          + writer.indexFile(options.channel()) + ": " + e + "; the artifacts are in place, run "
          + "publish again once the repository is writable", e);
    }
    report(writer, index, release, env);
    return Exit.OK;
  }

  /** A published release with the new {@code --rollout}; its artifacts and manifest stay. */
  private static Release rolloutChange(PublishOptions options, Optional<Release> published)
      throws CliException {
    if (published.isEmpty()) {
      throw CliException.usage("version " + options.version() + " is not published on channel "
          + options.channel() + "; a new release needs its artifact (--artifact FILE) besides "
          + "--rollout");
    }
    return published.get().withRollout(options.rollout().getAsInt());
  }

  /**
   * Copies the artifacts (refusing other bytes for a published version unless {@code --force}),
   * publishes the tree of the first, and describes the release for the index.
   */
  private static Release newRelease(RepositoryWriter writer, PublishOptions options,
      Optional<Release> published, Instant now, Env env) throws CliException {
    List<Artifact> artifacts = new ArrayList<>();
    for (Path file : options.files()) {
      artifacts.add(describe(writer, options, file));
    }
    if (published.isPresent() && !sameBytes(published.get().artifacts(), artifacts)
        && !options.force()) {
      throw CliException.refused("version " + options.version() + " is already published on "
          + "channel " + options.channel() + " with other artifacts ("
          + summary(published.get().artifacts()) + "); publish a new version, or pass --force "
          + "to replace it (installs that already downloaded it will refuse the changed bytes)");
    }
    for (Path file : options.files()) {
      putArtifact(writer, options, file);
    }
    // Re-publishing keeps the rollout unless --rollout changes it; a new release goes to all.
    int percent = options.rollout()
        .orElse(published.map(Release::rollout).orElse(Release.FULL_ROLLOUT));
    Release release = new Release(options.version(), options.channel(), artifacts,
        options.requirements(), options.notes(), Optional.of(now), percent);
    Path primary = options.files().get(0);
    if (!isArchive(primary)) {
      env.out().println("  " + primary.getFileName() + " is a plain file, not an archive "
          + "(.tar.gz, .tgz, .zip): published as it is, without a per-file manifest; installs "
          + "take it with --layout single-file");
    } else if (options.manifest()) {
      release = release.withManifest(ManifestPublishing.publish(writer, options.version(),
          primary, env));
    }
    return release;
  }

  private static void report(RepositoryWriter writer, ReleaseIndex index, Release release,
      Env env) {
    int percent = release.rollout();
    env.out().println("published " + release.version() + " on channel " + index.channel()
        + " of " + index.application() + " (serial " + index.serial() + ", index expires "
        + index.expires().orElseThrow() + ")"
        + (percent == Release.FULL_ROLLOUT ? "" : percent == 0 ? ", rollout halted (0%)"
            : ", rollout " + percent + "%"));
    for (Artifact a : release.artifacts()) {
      env.out().println("  " + a.location() + "  " + a.size() + " bytes  sha256 " + a.sha256()
          + a.platform().map(p -> "  " + p).orElse(""));
    }
    env.json().ifPresent(j -> {
      j.node().put("version", release.version().toString()).put("channel", index.channel())
          .put("application", index.application()).put("serial", index.serial())
          .put("expires", index.expires().orElseThrow().toString()).put("rollout", percent)
          .put("signedBy", writer.key().map(k -> k.keyId()).orElse(null));
      var list = j.node().putArray("artifacts");
      for (Artifact a : release.artifacts()) {
        list.addObject().put("name", a.name()).put("url", a.location()).put("size", a.size())
            .put("sha256", a.sha256())
            .put("platform", a.platform().map(Object::toString).orElse(null));
      }
    });
    if (writer.key().isPresent()) {
      env.out().println("signed " + writer.root().relativize(writer.signatureFile(index.channel()))
          + " with key " + writer.key().get().keyId());
    } else {
      env.err().println("warning: " + writer.indexFile(index.channel()) + " is not signed; "
          + "installs must use --unsigned. Create a key with 'updater keygen' and publish with "
          + "--key to sign it.");
    }
  }

  static Optional<ReleaseIndex> existingIndex(RepositoryWriter writer, String channel)
      throws CliException {
    try {
      return writer.index(channel);
    } catch (VerificationException e) {
      throw CliException.failed(Exit.VERIFICATION, e.getMessage() + "; it is not a valid index: "
          + "repair it, or move it away to start the channel afresh", e);
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot read " + writer.indexFile(channel) + ": "
          + e, e);
    }
  }

  /**
   * Refuses to re-sign an index that neither the publishing key nor another publishing key of the
   * repository's newest key list verifies: it was changed after it was signed, or signed by
   * another key.
   */
  static void checkExistingSignature(Path repo, String channel, SigningKey key)
      throws CliException {
    try {
      List<String> keys = new ArrayList<>(List.of(key.publicKeyText()));
      RepositoryKeys.at(repo).newest().ifPresent(list -> list.publishing().keys().stream()
          .filter(k -> !TrustedKeys.parse(k).keyIds().contains(key.keyId())).forEach(keys::add));
      RepositoryReader.signed(repo, TrustedKeys.parse(keys)).index(channel);
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

  private static String application(PublishOptions options, Optional<ReleaseIndex> existing)
      throws CliException {
    Optional<String> given = options.application();
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
    Path name = options.repo().toAbsolutePath().normalize().getFileName();
    return name == null ? "application" : name.toString();
  }

  static Artifact describe(RepositoryWriter writer, PublishOptions options, Path file)
      throws CliException {
    try {
      return writer.describe(options.version(), file);
    } catch (IllegalArgumentException e) {
      throw CliException.badArgument(e.getMessage(), e);
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot read artifact " + file + ": " + e, e);
    }
  }

  /** Copies the artifact to releases/V/name, unless the same bytes are already there. */
  static void putArtifact(RepositoryWriter writer, PublishOptions options, Path file)
      throws CliException {
    try {
      writer.putArtifact(options.version(), file,
          options.force() ? IfDifferent.REPLACE : IfDifferent.REFUSE);
    } catch (FileAlreadyExistsException e) {
      throw CliException.refused(e.getFile() + " already exists with other bytes (another "
          + "channel published this version); publish a new version, or pass --force");
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot copy " + file + " into " + options.repo()
          + ": " + e + "; check that the repository is writable", e);
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

  /**
   * Whether {@code file} is an archive by its name ({@code .tar.gz}, {@code .tgz}, {@code .zip}):
   * anything else, a jar included, is published as a plain file, without a per-file manifest.
   */
  static boolean isArchive(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".zip");
  }
}
