package dev.updater.core.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Requirements;
import dev.updater.core.Version;
import dev.updater.core.command.Command;
import dev.updater.core.command.CommandResult;
import dev.updater.core.repository.Sha256;
import dev.updater.core.spi.ReleaseSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReleaseSource} whose releases are the semantic-version tags of a git repository
 * ({@code v1.2.0} or {@code 1.2.0}), read with the {@code git} command: a local repository by its
 * path, or a remote one by URL, kept as a mirror in a cache directory and fetched before each
 * index. Pair it with {@code GitTagStager}, which checks the tag's tree out into the staging
 * directory, and a build hook to build it:
 *
 * <pre>{@code
 * Updater.builder()
 *     .source(GitReleaseSource.builder("https://git.example.com/acme/myapp.git")
 *         .cacheDirectory(home.resolve(".updater/git"))
 *         .requireSignedTags()
 *         .gitConfig("gpg.ssh.allowedSignersFile", "/etc/myapp/allowed_signers")
 *         .build())
 *     .stager(GitTagStager.create())
 *     .after(Step.STAGE, CommandHook.shell("npm ci && npm run build").build())
 * }</pre>
 *
 * <p>Channel {@code stable} lists the tags without a pre-release part, {@code beta} all of them;
 * any other channel does not exist. A tag that is not a semantic version, or that two tags claim
 * ({@code v1.2.0} and {@code 1.2.0}), is skipped. The artifact of each release is a small
 * descriptor naming the repository, the tag and the commit it points at; its SHA-256 in the index
 * pins that commit, so a tag moved after the check is installed as it was when checked, or not at
 * all. With {@link Builder#requireSignedTags()}, a tag that {@code git verify-tag} does not accept
 * (unsigned, or signed by a key the git configuration does not trust) is skipped, logged as a
 * warning.
 *
 * <p>Immutable and thread-safe; fetches of one remote are serialised.
 */
public final class GitReleaseSource implements ReleaseSource {
  /** The channels a git repository has. */
  public static final List<String> CHANNELS = List.of("stable", "beta");
  /** The artifact name's suffix: an artifact of this source is a tag descriptor. */
  public static final String DESCRIPTOR_SUFFIX = ".git-tag.json";

  private static final Logger LOG = LoggerFactory.getLogger(GitReleaseSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REFS_OUTPUT = 8 * 1024 * 1024;

  private final String repository;
  private final Optional<Path> cache;
  private final boolean signedTags;
  private final Map<String, String> gitConfig;
  private final Duration timeout;

  private GitReleaseSource(Builder b) {
    this.repository = b.repository;
    this.cache = b.cache;
    this.signedTags = b.signedTags;
    this.gitConfig = Map.copyOf(b.gitConfig);
    this.timeout = b.timeout;
  }

  /**
   * A builder for a source reading {@code repository}: a local repository's path, or a URL
   * ({@code https://...}, {@code ssh://...}, {@code git@host:path}, {@code file://...}), which
   * then needs {@link Builder#cacheDirectory}.
   */
  public static Builder builder(String repository) {
    return new Builder(repository);
  }

  @Override
  public ReleaseIndex index(String channel) throws IOException {
    Objects.requireNonNull(channel, "channel");
    if (!CHANNELS.contains(channel)) {
      throw new NoSuchFileException(channel, null, "the git tags of " + repository + " have only "
          + "the channels " + CHANNELS + ": 'stable' (tags without a pre-release part) and "
          + "'beta' (all)");
    }
    Path local = localRepository();
    String refs = git(local, List.of("for-each-ref", "--format=%(refname:strip=2)%00%(objecttype)"
        + "%00%(objectname)%00%(*objectname)%00%(creatordate:iso-strict)%00%(contents:subject)",
        "refs/tags"), MAX_REFS_OUTPUT);
    Map<Version, List<String>> claims = new LinkedHashMap<>();
    Map<String, String[]> byTag = new LinkedHashMap<>();
    for (String line : refs.split("\n")) {
      String[] f = line.split("\0", -1);
      if (f.length < 6 || f[0].isEmpty()) {
        continue;
      }
      Optional<Version> v = version(f[0]);
      if (v.isEmpty()) {
        LOG.debug("Skipping tag {} of {}: not a semantic version", f[0], repository);
        continue;
      }
      claims.computeIfAbsent(v.get(), k -> new ArrayList<>()).add(f[0]);
      byTag.put(f[0], f);
    }
    List<Release> releases = new ArrayList<>();
    for (Map.Entry<Version, List<String>> claim : claims.entrySet()) {
      Version version = claim.getKey();
      if (claim.getValue().size() > 1) {
        LOG.warn("Skipping version {} of {}: the tags {} all name it", version, repository,
            claim.getValue());
        continue;
      }
      if (version.isPreRelease() && channel.equals("stable")) {
        continue;
      }
      String[] f = byTag.get(claim.getValue().get(0));
      String tag = f[0];
      boolean annotated = f[1].equals("tag");
      String commit = annotated ? f[3] : f[2];
      if (signedTags && !verified(local, tag, annotated)) {
        continue;
      }
      byte[] descriptor = descriptor(local, tag, commit);
      String name = local.getFileName() + "-" + version + DESCRIPTOR_SUFFIX;
      Artifact artifact = new Artifact(name, descriptor.length, sha256(descriptor),
          "git:" + tag);
      releases.add(new Release(version, channel, List.of(artifact), Requirements.NONE,
          annotated ? f[5] : "", time(f[4])));
    }
    return new ReleaseIndex(repository, channel, 0, Optional.empty(), releases);
  }

  @Override
  public InputStream open(Artifact artifact, long offset) throws IOException {
    Objects.requireNonNull(artifact, "artifact");
    String location = artifact.location();
    if (!location.startsWith("git:")) {
      throw new NoSuchFileException(location, null, "not a tag of " + repository);
    }
    String tag = location.substring("git:".length());
    Path local = localRepository();
    String commit = git(local, List.of("rev-parse", "--verify", "--quiet", "refs/tags/" + tag
        + "^{commit}"), 4096).strip();
    if (commit.isEmpty()) {
      throw new NoSuchFileException(tag, null, "no longer a tag of " + repository);
    }
    byte[] bytes = descriptor(local, tag, commit);
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    in.skipNBytes(Math.min(offset, bytes.length));
    return in;
  }

  @Override
  public String describe() {
    return "git tags of " + repository;
  }

  /** The repository git reads: the local one, or the mirror of a remote one, fetched now. */
  private Path localRepository() throws IOException {
    if (cache.isEmpty()) {
      Path path = Path.of(repository).toAbsolutePath().normalize();
      if (!Files.isDirectory(path)) {
        throw new NoSuchFileException(path.toString(), null, "no git repository there; give the "
            + "path of a repository, or a URL with a cache directory");
      }
      return path;
    }
    Path mirror = cache.get().resolve(sha256(repository.getBytes(StandardCharsets.UTF_8))
        .substring(0, 16) + ".git");
    synchronized (GitReleaseSource.class) {
      if (!Files.isDirectory(mirror)) {
        Files.createDirectories(cache.get());
        git(cache.get(), List.of("clone", "--mirror", "--quiet", repository,
            mirror.toString()), 64 * 1024);
      } else {
        git(mirror, List.of("remote", "update", "--prune"), 64 * 1024);
      }
    }
    return mirror;
  }

  /** Whether {@code git verify-tag} accepts the tag; logs why not. */
  private boolean verified(Path local, String tag, boolean annotated) throws IOException {
    if (!annotated) {
      LOG.warn("Skipping tag {} of {}: it is a lightweight tag, which cannot be signed, and "
          + "signed tags are required", tag, repository);
      return false;
    }
    CommandResult result = run(local, List.of("verify-tag", tag), 64 * 1024);
    if (!result.succeeded()) {
      LOG.warn("Skipping tag {} of {}: git verify-tag does not accept its signature: {}", tag,
          repository, result.output());
      return false;
    }
    return true;
  }

  private byte[] descriptor(Path local, String tag, String commit) throws IOException {
    ObjectNode n = JSON.createObjectNode().put("repository", local.toString()).put("tag", tag)
        .put("commit", commit);
    return (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
  }

  private static Optional<Version> version(String tag) {
    try {
      return Optional.of(Version.parse(tag));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> time(String iso) {
    try {
      return Optional.of(OffsetDateTime.parse(iso).toInstant());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Runs git and returns its output, or fails with what it printed. */
  private String git(Path dir, List<String> args, int outputLimit) throws IOException {
    CommandResult result = run(dir, args, outputLimit);
    if (!result.succeeded()) {
      throw new IOException("git " + String.join(" ", args) + " in " + dir + " failed: "
          + result.describe());
    }
    return result.output();
  }

  private CommandResult run(Path dir, List<String> args, int outputLimit) throws IOException {
    List<String> line = new ArrayList<>(List.of("git"));
    gitConfig.forEach((k, v) -> line.addAll(List.of("-c", k + "=" + v)));
    line.addAll(args);
    try {
      return Command.builder(line).directory(dir).timeout(timeout).outputLimit(outputLimit)
          .variable("GIT_TERMINAL_PROMPT", "0").build().run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running git " + args.get(0));
    }
  }

  /** Configures a {@link GitReleaseSource}. Not thread-safe. */
  public static final class Builder {
    private final String repository;
    private Optional<Path> cache = Optional.empty();
    private boolean signedTags;
    private final Map<String, String> gitConfig = new LinkedHashMap<>();
    private Duration timeout = Duration.ofMinutes(5);

    private Builder(String repository) {
      Objects.requireNonNull(repository, "repository");
      if (repository.isBlank() || repository.startsWith("-")) {
        throw new IllegalArgumentException("repository '" + repository + "' must be a path or a "
            + "URL of a git repository");
      }
      this.repository = repository;
    }

    /**
     * Where the mirror of a remote repository is kept (created if needed). Required for a URL;
     * for a local path the repository is read in place.
     */
    public Builder cacheDirectory(Path directory) {
      this.cache = Optional.of(Objects.requireNonNull(directory, "directory"));
      return this;
    }

    /**
     * Lists only the tags that {@code git verify-tag} accepts: annotated tags signed by a key the
     * git configuration trusts (a GnuPG keyring, or {@code gpg.ssh.allowedSignersFile} for SSH
     * signatures, see {@link #gitConfig}). Default: tags are trusted as the repository has them.
     */
    public Builder requireSignedTags() {
      this.signedTags = true;
      return this;
    }

    /** A git configuration value for every git command this source runs ({@code git -c k=v}). */
    public Builder gitConfig(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (!key.matches("[A-Za-z][A-Za-z0-9-]*(\\.[^=\\s]+)+")) {
        throw new IllegalArgumentException("git configuration key '" + key + "' is not of the "
            + "form section.name, such as gpg.ssh.allowedSignersFile");
      }
      gitConfig.put(key, value);
      return this;
    }

    /** How long one git command may run (a fetch of a large remote); default 5 minutes. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Builds the source.
     *
     * @throws IllegalStateException when the repository is a URL and no cache directory is set
     */
    public GitReleaseSource build() {
      boolean remote = repository.contains("://") || repository.matches("[^/]+@[^/:]+:.*");
      if (remote && cache.isEmpty()) {
        throw new IllegalStateException("the git repository " + repository + " is remote: set "
            + "cacheDirectory(...) for its local mirror");
      }
      return new GitReleaseSource(this);
    }
  }
}
