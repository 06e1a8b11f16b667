package dev.updater.core.repository;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Revocation;
import dev.updater.core.Version;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.stage.ArchiveStager;
import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a static update repository, the layout every release source reads (see {@code
 * docs/repository.md}): artifacts under {@code releases/<version>/}, the per-file manifest of a
 * release's tree and its content-addressed {@code objects/}, and per channel the index {@code
 * channels/<channel>.json} with its minisign signature {@code <channel>.json.minisig}. {@code
 * updater publish} writes through this class, and so can a build or an update server of your own.
 *
 * <p>Every file is written atomically (a temporary sibling forced to disk, then renamed over the
 * target) and readable by everyone. Write the artifacts and the tree of a release first and the
 * index last: until the index names it, no install sees the release.
 *
 * <pre>{@code
 * RepositoryWriter writer = RepositoryWriter.signed(Path.of("repo"), SigningKey.load(keyFile));
 * Version version = Version.parse("1.2.0");
 * Artifact archive = writer.putArtifact(version, Path.of("build/app-1.2.0.tar.gz"),
 *     RepositoryWriter.IfDifferent.REFUSE);
 * RepositoryWriter.PublishedTree tree = writer.putTree(version, Path.of("build/app-1.2.0.tar.gz"),
 *     ArchiveStager.defaults());
 * Release release = new Release(version, "stable", List.of(archive), Requirements.NONE,
 *     "Faster start-up", Optional.of(Instant.now()), 100).withManifest(tree.manifest());
 * ReleaseIndex index = writer.publish("myapp", release, Instant.now().plus(Duration.ofDays(30)));
 * }</pre>
 *
 * <p>Immutable and thread-safe, but two writers publishing into one channel at the same time race
 * on its index: the last index written wins. Publish into a channel from one place at a time.
 */
public final class RepositoryWriter {
  /** What {@link #putArtifact} does when the repository holds other bytes under the same name. */
  public enum IfDifferent {
    /** Refuse with a {@link FileAlreadyExistsException}; the file in the repository stays. */
    REFUSE,
    /** Replace the file (installs that downloaded the old bytes will refuse the new ones). */
    REPLACE
  }

  /**
   * What {@link #putTree} wrote.
   *
   * @param manifest the manifest's entry for {@link Release#withManifest}: its location, size and
   *     SHA-256
   * @param files the regular files of the tree
   * @param newObjects the file objects that were not in {@code objects/} yet
   * @param newObjectBytes their bytes
   * @param pages the pages of the manifest
   * @param newPages the pages that were not in {@code objects/} yet (the others are shared with
   *     earlier releases)
   */
  public record PublishedTree(Artifact manifest, int files, int newObjects, long newObjectBytes,
      int pages, int newPages) {
    public PublishedTree {
      Objects.requireNonNull(manifest, "manifest");
    }
  }

  private final Path root;
  private final Optional<SigningKey> key;

  private RepositoryWriter(Path root, Optional<SigningKey> key) {
    this.root = Objects.requireNonNull(root, "root");
    this.key = key;
  }

  /**
   * A writer into the repository at {@code root} (its directories are created as needed) that
   * signs every index with {@code key}.
   */
  public static RepositoryWriter signed(Path root, SigningKey key) {
    return new RepositoryWriter(root, Optional.of(Objects.requireNonNull(key, "key")));
  }

  /**
   * A writer into the repository at {@code root} that writes no signatures: only installs that do
   * not check signatures accept its indexes.
   */
  public static RepositoryWriter unsigned(Path root) {
    return new RepositoryWriter(root, Optional.empty());
  }

  /**
   * True when {@code name} can name a channel: an ASCII letter or digit, then letters, digits,
   * {@code .}, {@code _} or {@code -}. Such a name is also a safe file name.
   */
  public static boolean isChannelName(String name) {
    return MetadataJson.isChannelName(Objects.requireNonNull(name, "name"));
  }

  /** The repository's directory. */
  public Path root() {
    return root;
  }

  /** The key this writer signs indexes with, if it signs. */
  public Optional<SigningKey> key() {
    return key;
  }

  /** The file of the index of {@code channel}, {@code channels/<channel>.json}. */
  public Path indexFile(String channel) {
    return root.resolve("channels").resolve(checkedChannel(channel) + ".json");
  }

  /** The file of the signature of the index of {@code channel}. */
  public Path signatureFile(String channel) {
    return root.resolve("channels").resolve(checkedChannel(channel) + ".json.minisig");
  }

  /**
   * The index of {@code channel} as the repository holds it, parsed as strictly as an install
   * parses it but <em>not</em> checked against a signature (that is {@link RepositoryReader}'s
   * part).
   *
   * @return empty when the channel is not published yet
   * @throws IllegalArgumentException when {@code channel} is not a {@linkplain #isChannelName
   *     channel name}
   * @throws VerificationException when the file is larger than an install accepts or is not a
   *     valid index
   */
  public Optional<ReleaseIndex> index(String channel) throws IOException {
    Path file = indexFile(channel);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MetadataJson.MAX_INDEX_BYTES + 1);
    }
    if (bytes.length > MetadataJson.MAX_INDEX_BYTES) {
      throw new VerificationException(file + " is larger than " + MetadataJson.MAX_INDEX_BYTES
          + " bytes, more than an install accepts");
    }
    try {
      return Optional.of(MetadataJson.read(bytes));
    } catch (VerificationException e) {
      throw new VerificationException(file + ": " + e.getMessage(), e);
    }
  }

  /** True when the index of {@code channel} has a signature file beside it. */
  public boolean isSigned(String channel) {
    return Files.exists(signatureFile(channel));
  }

  /**
   * Describes {@code file} as an artifact of {@code version}, as {@link #putArtifact} would store
   * it: its name, size, SHA-256 and location {@code releases/<version>/<name>}. Writes nothing.
   *
   * @throws IllegalArgumentException when the file's name cannot name an artifact
   * @throws IOException when the file cannot be read, or changes while it is read
   */
  public Artifact describe(Version version, Path file) throws IOException {
    Objects.requireNonNull(version, "version");
    String name = file.getFileName().toString();
    long size = Files.size(file);
    String sha256 = hex(file);
    if (Files.size(file) != size) {
      throw new IOException(file + " changed while it was being read; publish it once it is "
          + "complete");
    }
    String location;
    try {
      location = new URI(null, null, "releases/" + version + "/" + name, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("artifact name " + name + " cannot be part of a URL: "
          + e.getMessage(), e);
    }
    return new Artifact(name, size, sha256, location);
  }

  /**
   * Copies {@code file} to {@code releases/<version>/<name>}, unless the same bytes are there.
   *
   * @return the artifact's entry for the index, as {@link #describe} gives it
   * @throws FileAlreadyExistsException when other bytes are there and {@code ifDifferent} is
   *     {@link IfDifferent#REFUSE}
   * @throws IOException when the file cannot be read, changes while it is copied, or the
   *     repository cannot be written
   */
  public Artifact putArtifact(Version version, Path file, IfDifferent ifDifferent)
      throws IOException {
    Objects.requireNonNull(ifDifferent, "ifDifferent");
    Artifact artifact = describe(version, file);
    Path target = root.resolve("releases").resolve(version.toString()).resolve(artifact.name());
    if (Files.exists(target)) {
      if (Files.size(target) == artifact.size() && hex(target).equals(artifact.sha256())) {
        return artifact;
      }
      if (ifDifferent == IfDifferent.REFUSE) {
        throw new FileAlreadyExistsException(target.toString(), null,
            "it already exists with other bytes");
      }
    }
    RepositoryFiles.write(target, out -> {
      MessageDigest digest = Sha256.newDigest();
      long copied = 0;
      byte[] buffer = new byte[Sha256.FILE_BUFFER];
      try (InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buffer)) != -1; copied += n) {
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      if (copied != artifact.size()
          || !HexFormat.of().formatHex(digest.digest()).equals(artifact.sha256())) {
        throw new IOException(file + " changed while it was being copied; publish it once it "
            + "is complete");
      }
    });
    return artifact;
  }

  /**
   * Publishes the tree that the archive {@code archive} extracts to: each regular file once by its
   * SHA-256 in {@code objects/}, then the paged manifest (its pages as objects too, and the root
   * as {@code releases/<version>/manifest.json}). The archive is extracted with {@code stager}'s
   * rules, so the manifest describes exactly the tree an install stages. Installs that have an
   * earlier release then fetch only the files and pages that changed.
   *
   * @return what was written; {@link PublishedTree#manifest()} goes into the release
   * @throws dev.updater.core.spi.RejectedArchiveException when {@code stager} would refuse the
   *     archive
   * @throws IOException when the archive cannot be read or the repository cannot be written
   */
  public PublishedTree putTree(Version version, Path archive, ArchiveStager stager)
      throws IOException {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(stager, "stager");
    return TreePublisher.publish(root, archive, archive.getFileName().toString(), version,
        stager);
  }

  /**
   * Adds {@code release} to the index of its channel (in place of a release of the same version)
   * and writes the index with the next serial and {@code expires}: 1 and a new index when the
   * channel is not published yet.
   *
   * @param application the application of a new index; an existing index must name the same
   * @return the index written
   * @throws IllegalArgumentException when the existing index names another application, or the
   *     new index would not read back
   * @throws VerificationException when the existing index is not valid
   * @throws IOException when the repository cannot be written
   */
  public ReleaseIndex publish(String application, Release release, Instant expires)
      throws IOException {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(expires, "expires");
    Optional<ReleaseIndex> existing = index(release.channel());
    if (existing.isPresent() && !existing.get().application().equals(application)) {
      throw new IllegalArgumentException("the index of channel " + release.channel()
          + " belongs to application '" + existing.get().application() + "', not '"
          + application + "'");
    }
    if (existing.flatMap(i -> i.revocation(release.version())).isPresent()) {
      throw new IllegalArgumentException(release.version() + " is revoked on channel "
          + release.channel() + ": a revoked version is never offered again; publish the fix"
          + " under a new version");
    }
    List<Release> releases = new ArrayList<>();
    existing.ifPresent(i -> i.releases().stream()
        .filter(r -> !r.version().equals(release.version())).forEach(releases::add));
    releases.add(release);
    releases.sort(Comparator.comparing(Release::version));
    long serial = existing.map(i -> i.serial() + 1).orElse(1L);
    ReleaseIndex index = new ReleaseIndex(application, release.channel(), serial,
        Optional.of(expires), releases, existing.map(ReleaseIndex::revoked).orElse(List.of()));
    writeIndex(index);
    return index;
  }

  /**
   * Revokes {@code version} on {@code channel}: records {@code reason} and {@code now} in the
   * index, which is written with the next serial and {@code expires}. Installs never offer a
   * revoked version again, refuse it by name, and report it (or roll back from it, in auto mode)
   * when they run it. The release stays listed and its files stay in place.
   *
   * <pre>{@code
   * writer.revoke("stable", Version.parse("1.4.0"), "corrupts exports; 1.4.1 fixes it",
   *     clock.instant(), clock.instant().plus(Duration.ofDays(30)));
   * }</pre>
   *
   * @return the index written
   * @throws IllegalArgumentException when the channel is not published, the version is already
   *     revoked, or {@code reason} is blank; nothing is written then
   * @throws IOException when the repository cannot be written
   */
  public ReleaseIndex revoke(String channel, Version version, String reason, Instant now,
      Instant expires) throws IOException {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(expires, "expires");
    ReleaseIndex existing = index(checkedChannel(channel)).orElseThrow(() ->
        new IllegalArgumentException("channel " + channel + " is not published in " + root
            + ", so there is nothing to revoke"));
    Optional<Revocation> earlier = existing.revocation(version);
    if (earlier.isPresent()) {
      throw new IllegalArgumentException(version + " is already revoked on channel " + channel
          + " (since " + earlier.get().revokedAt() + ": " + earlier.get().reason() + ")");
    }
    List<Revocation> revoked = new ArrayList<>(existing.revoked());
    revoked.add(new Revocation(version, reason.strip(), now));
    ReleaseIndex index = new ReleaseIndex(existing.application(), channel, existing.serial() + 1,
        Optional.of(expires), existing.releases(), revoked);
    writeIndex(index);
    return index;
  }

  /**
   * Writes {@code index} as {@code channels/<channel>.json} in its canonical form, and, for a
   * signing writer, its signature first (trusted comment {@code channel <name> serial <n>}). The
   * caller chooses the serial: installs refuse an index whose serial is lower than one they saw.
   *
   * @throws IllegalArgumentException when the index would not read back (an install would refuse
   *     it)
   * @throws IOException when the repository cannot be written
   */
  public void writeIndex(ReleaseIndex index) throws IOException {
    byte[] bytes = MetadataJson.write(index);
    if (key.isPresent()) {
      String signature = key.get().sign(bytes,
          "channel " + index.channel() + " serial " + index.serial());
      RepositoryFiles.write(signatureFile(index.channel()),
          signature.getBytes(StandardCharsets.UTF_8));
    }
    RepositoryFiles.write(indexFile(index.channel()), bytes);
  }

  @Override
  public String toString() {
    return "RepositoryWriter[" + root + key.map(k -> ", signed by " + k.keyId()).orElse("") + "]";
  }

  private static String checkedChannel(String channel) {
    if (!isChannelName(channel)) {
      throw new IllegalArgumentException("'" + channel + "' is not a channel name: a letter or "
          + "digit, then letters, digits, '.', '_' or '-'");
    }
    return channel;
  }

  /** The SHA-256 of a file, following a link (an artifact may be given through one). */
  private static String hex(Path file) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[Sha256.FILE_BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
