package dev.updater.core.repository;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Requirements;
import dev.updater.core.Version;
import dev.updater.core.repository.PublishRefusedException.Reason;
import dev.updater.core.repository.RepositoryWriter.IfDifferent;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Publishes one release into a static update repository the whole way {@code updater publish}
 * does: checks first, then the release's tree (per-file manifest and objects), its artifacts, and
 * the signed channel index last. Every refusal comes before the first write, so a refused
 * publication leaves the repository exactly as it was:
 *
 * <ul>
 *   <li>a signed channel needs a key, and (unless {@link IfDifferent#REPLACE}) its current index
 *       must verify with that key, so a stray key never re-signs a tampered index;
 *   <li>a published version is never given other bytes (unless {@link IfDifferent#REPLACE});
 *       publishing the same bytes again only re-signs the index with a fresh expiry;
 *   <li>an archive that an install would refuse is refused here.
 * </ul>
 *
 * <pre>{@code
 * ReleasePublisher.Published published = ReleasePublisher.builder(Path.of("repo"),
 *         Version.parse("1.2.0"))
 *     .key(SigningKey.load(Path.of("updater.key")))
 *     .artifact(Path.of("target/myapp-1.2.0.tar.gz"))
 *     .notes("Faster start-up")
 *     .build()
 *     .publish();
 * }</pre>
 *
 * <p>Immutable and thread-safe; two publications into one channel at the same time race on its
 * index (see {@link RepositoryWriter}).
 */
public final class ReleasePublisher {
  /** How long an index stays valid unless {@link Builder#expiresIn} says otherwise: 30 days. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofDays(30);

  /**
   * What a publication wrote.
   *
   * @param index the channel's new index, as signed
   * @param release the release as the index lists it
   * @param tree the per-file manifest and objects written, if any
   */
  public record Published(ReleaseIndex index, Release release, Optional<RepositoryWriter.PublishedTree> tree) {
    public Published {
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(release, "release");
      Objects.requireNonNull(tree, "tree");
    }
  }

  private final Builder config;

  private ReleasePublisher(Builder config) {
    this.config = config;
  }

  /** A publisher of {@code version} into the repository directory {@code repository}. */
  public static Builder builder(Path repository, Version version) {
    return new Builder(repository, version);
  }

  /**
   * Publishes the release.
   *
   * @return what was written
   * @throws PublishRefusedException when the publication is refused; nothing was written
   * @throws VerificationException when the channel's current index is not a valid index
   * @throws IOException when an artifact cannot be read or the repository cannot be written
   */
  public Published publish() throws IOException {
    RepositoryWriter writer = config.key
        .map(k -> RepositoryWriter.signed(config.repository, k))
        .orElseGet(() -> RepositoryWriter.unsigned(config.repository));
    Optional<ReleaseIndex> existing = writer.index(config.channel);
    if (existing.isPresent() && writer.isSigned(config.channel)) {
      checkKey(writer);
    }
    String application = application(existing);
    Optional<Release> published = existing.flatMap(i -> i.find(config.version));
    Instant now = config.clock.instant();
    Release release;
    Optional<RepositoryWriter.PublishedTree> tree = Optional.empty();
    if (config.artifacts.isEmpty()) {
      release = published.orElseThrow(() -> new PublishRefusedException(Reason.NOT_PUBLISHED,
          "version " + config.version + " is not published on channel " + config.channel
              + "; a new release needs its artifact", null))
          .withRollout(config.rollout.orElseThrow());
    } else {
      List<Artifact> artifacts = checkedArtifacts(writer, published);
      int percent = config.rollout
          .orElse(published.map(Release::rollout).orElse(Release.FULL_ROLLOUT));
      release = new Release(config.version, config.channel, artifacts, config.requirements,
          config.notes, Optional.of(now), percent);
      if (config.manifest) {
        RepositoryWriter.PublishedTree written = putTree(writer);
        release = release.withManifest(written.manifest());
        tree = Optional.of(written);
      }
      for (Path file : config.artifacts) {
        writer.putArtifact(config.version, file, config.ifDifferent);
      }
    }
    ReleaseIndex index = writer.publish(application, release, now.plus(config.expiresIn));
    return new Published(index, release, tree);
  }

  /** A signed channel: a key is required, and its index must verify with it. */
  private void checkKey(RepositoryWriter writer) throws IOException {
    if (config.key.isEmpty()) {
      throw new PublishRefusedException(Reason.KEY_REQUIRED, "channel " + config.channel
          + " is signed (" + writer.signatureFile(config.channel) + " exists) but no signing key "
          + "was given: an unsigned index would be refused by every install that checks "
          + "signatures; publish with the channel's secret key", null);
    }
    if (config.ifDifferent == IfDifferent.REPLACE) {
      return;
    }
    SigningKey key = config.key.get();
    try {
      RepositoryReader.signed(config.repository, TrustedKeys.parse(key.publicKeyText()))
          .index(config.channel);
    } catch (VerificationException e) {
      throw new PublishRefusedException(Reason.INDEX_NOT_VERIFIED, "the current index of channel "
          + config.channel + " does not verify with key " + key.keyId() + ": " + e.getMessage()
          + ". It was signed by another key, or changed after it was signed: publish with the "
          + "key that signed it, or check the repository for tampering (to re-sign it with this "
          + "key after a key rotation, replace it deliberately)", e);
    }
  }

  private String application(Optional<ReleaseIndex> existing) throws PublishRefusedException {
    if (existing.isPresent()) {
      String current = existing.get().application();
      if (config.application.isPresent() && !config.application.get().equals(current)) {
        throw new PublishRefusedException(Reason.OTHER_APPLICATION, "the index of channel "
            + config.channel + " belongs to application '" + current + "', not '"
            + config.application.get() + "'; publish into another repository, or leave the "
            + "application name out", null);
      }
      return current;
    }
    if (config.application.isPresent()) {
      return config.application.get();
    }
    Path name = config.repository.toAbsolutePath().normalize().getFileName();
    return name == null ? "application" : name.toString();
  }

  /**
   * Describes the artifacts and refuses other bytes for a published version, or for a file of
   * the version already in the repository (published on another channel), before anything is
   * written.
   */
  private List<Artifact> checkedArtifacts(RepositoryWriter writer, Optional<Release> published)
      throws IOException {
    List<Artifact> artifacts = new ArrayList<>();
    for (Path file : config.artifacts) {
      artifacts.add(writer.describe(config.version, file));
    }
    if (config.ifDifferent == IfDifferent.REPLACE) {
      return artifacts;
    }
    if (published.isPresent() && !published.get().artifacts().equals(artifacts)) {
      throw versionExists("on channel " + config.channel + " with other artifacts ("
          + summary(published.get().artifacts()) + ")");
    }
    for (Artifact a : artifacts) {
      Path there = config.repository.resolve("releases").resolve(config.version.toString())
          .resolve(a.name());
      if (Files.isRegularFile(there)
          && !writer.describe(config.version, there).sha256().equals(a.sha256())) {
        throw versionExists("with other bytes in " + there + " (another channel published it)");
      }
    }
    return artifacts;
  }

  private PublishRefusedException versionExists(String where) {
    return new PublishRefusedException(Reason.VERSION_EXISTS, "version " + config.version
        + " is already published " + where + "; publish a new version (installs that downloaded "
        + "it would refuse changed bytes), or replace it deliberately", null);
  }

  private RepositoryWriter.PublishedTree putTree(RepositoryWriter writer) throws IOException {
    Path archive = config.artifacts.get(0);
    try {
      return writer.putTree(config.version, archive, config.stager);
    } catch (RejectedArchiveException e) {
      throw new PublishRefusedException(Reason.ARTIFACT_REJECTED, "the artifact " + archive
          + " would be refused by every install: " + e.getMessage() + "; fix the archive", e);
    }
  }

  private static String summary(List<Artifact> artifacts) {
    List<String> parts = new ArrayList<>();
    for (Artifact a : artifacts) {
      parts.add(a.name() + " sha256 " + a.sha256().substring(0, 12) + "...");
    }
    return String.join(", ", parts);
  }

  /**
   * The settings of one publication. Setters reject null at once; {@link #build()} checks the
   * settings together.
   *
   * <p>Not thread-safe; build once, then share the publisher.
   */
  public static final class Builder {
    private final Path repository;
    private final Version version;
    private Optional<SigningKey> key = Optional.empty();
    private String channel = "stable";
    private final List<Path> artifacts = new ArrayList<>();
    private String notes = "";
    private Requirements requirements = Requirements.NONE;
    private OptionalInt rollout = OptionalInt.empty();
    private Duration expiresIn = DEFAULT_EXPIRY;
    private Optional<String> application = Optional.empty();
    private IfDifferent ifDifferent = IfDifferent.REFUSE;
    private boolean manifest = true;
    private ArchiveStager stager = ArchiveStager.defaults();
    private Clock clock = Clock.systemUTC();

    private Builder(Path repository, Version version) {
      this.repository = Objects.requireNonNull(repository, "repository");
      this.version = Objects.requireNonNull(version, "version");
    }

    /** Signs the index with {@code key}; without one the index is unsigned. */
    public Builder key(SigningKey key) {
      this.key = Optional.of(Objects.requireNonNull(key, "key"));
      return this;
    }

    /** The channel; {@code stable} unless set. */
    public Builder channel(String channel) {
      Objects.requireNonNull(channel, "channel");
      if (!RepositoryWriter.isChannelName(channel)) {
        throw new IllegalArgumentException("'" + channel + "' is not a channel name: a letter or "
            + "digit, then letters, digits, '.', '_' or '-'");
      }
      this.channel = channel;
      return this;
    }

    /**
     * Adds an artifact; the first added is the one installed. With none, the publication only
     * changes the {@linkplain #rollout rollout} of a published version.
     */
    public Builder artifact(Path file) {
      artifacts.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /** Release notes; none unless set. */
    public Builder notes(String notes) {
      this.notes = Objects.requireNonNull(notes, "notes");
      return this;
    }

    /** What the release requires of an install; {@link Requirements#NONE} unless set. */
    public Builder requirements(Requirements requirements) {
      this.requirements = Objects.requireNonNull(requirements, "requirements");
      return this;
    }

    /**
     * Offers the release to {@code percent} of the installs (0 halts it). Unless set, a new
     * release goes to every install and a published one keeps its percentage.
     */
    public Builder rollout(int percent) {
      if (percent < 0 || percent > Release.FULL_ROLLOUT) {
        throw new IllegalArgumentException("rollout must be a percentage from 0 (halted) to 100 "
            + "(every install), was " + percent);
      }
      this.rollout = OptionalInt.of(percent);
      return this;
    }

    /** How long the new index stays valid; {@link #DEFAULT_EXPIRY} unless set. */
    public Builder expiresIn(Duration expiresIn) {
      Objects.requireNonNull(expiresIn, "expiresIn");
      if (expiresIn.isNegative() || expiresIn.isZero()) {
        throw new IllegalArgumentException("expiresIn must be positive, was " + expiresIn);
      }
      this.expiresIn = expiresIn;
      return this;
    }

    /**
     * The application named by a new index (the repository directory's name unless set); an
     * existing index must name the same.
     */
    public Builder application(String application) {
      Objects.requireNonNull(application, "application");
      if (application.isBlank()) {
        throw new IllegalArgumentException("application must not be blank");
      }
      this.application = Optional.of(application);
      return this;
    }

    /**
     * What to do when the version is published with other bytes, or the signed index does not
     * verify with the key: {@link IfDifferent#REFUSE} (the default) or replace and re-sign.
     */
    public Builder ifDifferent(IfDifferent ifDifferent) {
      this.ifDifferent = Objects.requireNonNull(ifDifferent, "ifDifferent");
      return this;
    }

    /** Writes no per-file manifest (installs then download the whole archive every time). */
    public Builder withoutManifest() {
      this.manifest = false;
      return this;
    }

    /** The stager whose rules the published tree must pass; {@link ArchiveStager#defaults()}. */
    public Builder stager(ArchiveStager stager) {
      this.stager = Objects.requireNonNull(stager, "stager");
      return this;
    }

    /** The clock of the publish time and the expiry; the system's UTC clock unless set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The publisher.
     *
     * @throws IllegalArgumentException when neither an artifact nor a rollout is given, or two
     *     artifacts have one file name
     */
    public ReleasePublisher build() {
      if (artifacts.isEmpty() && rollout.isEmpty()) {
        throw new IllegalArgumentException("missing the artifact of " + version + ": give at "
            + "least one (or only a rollout, to change that of a published version)");
      }
      List<String> names = new ArrayList<>();
      for (Path file : artifacts) {
        String name = String.valueOf(file.getFileName());
        if (names.contains(name)) {
          throw new IllegalArgumentException("two artifacts are named " + name + "; the files "
              + "of one release need different names");
        }
        names.add(name);
      }
      Builder copy = new Builder(repository, version);
      copy.key = key;
      copy.channel = channel;
      copy.artifacts.addAll(artifacts);
      copy.notes = notes;
      copy.requirements = requirements;
      copy.rollout = rollout;
      copy.expiresIn = expiresIn;
      copy.application = application;
      copy.ifDifferent = ifDifferent;
      copy.manifest = manifest;
      copy.stager = stager;
      copy.clock = clock;
      return new ReleasePublisher(copy);
    }
  }
}
