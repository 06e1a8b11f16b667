package dev.updater.testkit;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Revocation;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ReleaseSource} held in memory: a test publishes releases on channels from bytes, then
 * lets the updater find and download them. It counts the calls made to it and can be told to fail
 * the Nth {@link #index} or {@link #open} call.
 *
 * <p>{@link #publish} computes an artifact's size and SHA-256 from the bytes; {@link #add} takes a
 * release as given, so a test can publish one whose metadata does not match its bytes. Indexes
 * name application {@code test}, have no expiry, and their serial rises with every change of the
 * channel.
 *
 * <pre>{@code
 * InMemoryReleaseSource source = InMemoryReleaseSource.create();
 * Release good = source.publish("stable", Version.parse("1.1.0"),
 *     ReleaseArchives.tarGz(Map.of("VERSION", "1.1.0")));
 * // a release whose declared SHA-256 is that of other bytes
 * Artifact lying = new Artifact("app.tar.gz", 4, "0".repeat(64), "releases/1.2.0/app.tar.gz");
 * source.add(Release.of(Version.parse("1.2.0"), "stable", lying),
 *     Map.of("app.tar.gz", "evil".getBytes(UTF_8)));
 * source.failOpenOnCall(1, new IOException("connection reset"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class InMemoryReleaseSource implements ReleaseSource {
  /** The application every index of this source names. */
  public static final String APPLICATION = "test";

  /**
   * One call to {@link #open}.
   *
   * @param artifact the artifact asked for
   * @param offset the offset asked for
   */
  public record Open(Artifact artifact, long offset) {}

  private final Map<String, Channel> channels = new HashMap<>(); // guarded by this
  private final Map<String, byte[]> contentByLocation = new HashMap<>(); // guarded by this
  private final List<Open> opens = new CopyOnWriteArrayList<>();
  private final Failures<IOException> indexFailures = Failures.create();
  private final Failures<IOException> openFailures = Failures.create();

  private InMemoryReleaseSource() {}

  /** A source with no channels. */
  public static InMemoryReleaseSource create() {
    return new InMemoryReleaseSource();
  }

  /** Publishes {@code archive} as {@code version} on the {@code stable} channel. */
  public Release publish(Version version, byte[] archive) {
    return publish("stable", version, archive);
  }

  /**
   * Publishes {@code archive} as {@code version} on {@code channel}: one artifact named
   * {@code app-<version>.tar.gz} (or {@code .zip}, or no extension, by the archive's first bytes)
   * at {@code releases/<version>/<name>}, with the archive's size and SHA-256.
   *
   * @return the release as the index lists it
   * @throws IllegalArgumentException when {@code version} is already on {@code channel}
   */
  public Release publish(String channel, Version version, byte[] archive) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(archive, "archive");
    String name = "app-" + version + extension(archive);
    Artifact artifact = new Artifact(name, archive.length, Digests.sha256(archive),
        "releases/" + version + "/" + name);
    Release release = Release.of(version, channel, artifact);
    add(release, Map.of(name, archive));
    return release;
  }

  /**
   * Adds {@code release} to its channel exactly as given, with the bytes of its artifacts by
   * artifact name. Nothing is checked against the bytes, so the metadata may lie; an artifact left
   * out of {@code contentByName} is listed but cannot be opened ({@link NoSuchFileException}).
   *
   * @throws IllegalArgumentException when the version is already on the channel, or a name in
   *     {@code contentByName} is not an artifact of the release
   */
  public synchronized void add(Release release, Map<String, byte[]> contentByName) {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(contentByName, "contentByName");
    Map<String, Artifact> byName = new LinkedHashMap<>();
    release.artifacts().forEach(a -> byName.put(a.name(), a));
    for (String name : contentByName.keySet()) {
      if (!byName.containsKey(name)) {
        throw new IllegalArgumentException(
            "release " + release.version() + " has no artifact named '" + name + "'; it has "
                + byName.keySet());
      }
    }
    Channel channel = channels.computeIfAbsent(release.channel(), c -> new Channel());
    if (channel.releases.stream().anyMatch(r -> r.version().equals(release.version()))) {
      throw new IllegalArgumentException(
          release.version() + " is already published on channel " + release.channel());
    }
    channel.releases.add(release);
    channel.serial++;
    contentByName.forEach((name, bytes) ->
        contentByLocation.put(byName.get(name).location(), bytes.clone()));
  }

  /**
   * Removes {@code version} from {@code channel}'s index (its bytes stay downloadable).
   *
   * @return true when it was listed
   */
  public synchronized boolean withdraw(String channel, Version version) {
    Channel c = channels.get(Objects.requireNonNull(channel, "channel"));
    Objects.requireNonNull(version, "version");
    if (c == null || !c.releases.removeIf(r -> r.version().equals(version))) {
      return false;
    }
    c.serial++;
    return true;
  }

  /**
   * Records the publisher's withdrawal of a release in {@code channel}'s index, as {@code updater
   * revoke} does in a repository: the version stays listed (its bytes stay downloadable), but no
   * check offers it, an install refuses it, and an install running it learns of it at its next
   * check. Raises the serial.
   *
   * <pre>{@code
   * source.revoke("stable", new Revocation(v2, "corrupts uploads", clock.instant()));
   * assertThat(updater.report(true).installedRevocation()).isPresent();
   * }</pre>
   *
   * @throws IllegalArgumentException when {@code channel} does not list that version, or the
   *     version is already revoked there
   */
  public synchronized void revoke(String channel, Revocation revocation) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(revocation, "revocation");
    Channel c = channels.get(channel);
    Version version = revocation.version();
    if (c == null || c.releases.stream().noneMatch(r -> r.version().equals(version))) {
      throw new IllegalArgumentException(version + " is not published on channel " + channel
          + "; only a listed release can be revoked");
    }
    if (c.revoked.stream().anyMatch(r -> r.version().equals(version))) {
      throw new IllegalArgumentException(version + " is already revoked on channel " + channel);
    }
    c.revoked.add(revocation);
    c.serial++;
  }

  /**
   * {@inheritDoc}
   *
   * @throws NoSuchFileException when nothing was ever published on {@code channel}
   */
  @Override
  public ReleaseIndex index(String channel) throws IOException {
    Objects.requireNonNull(channel, "channel");
    indexFailures.call();
    synchronized (this) {
      Channel c = channels.get(channel);
      if (c == null) {
        throw new NoSuchFileException("channels/" + channel, null, "no such channel");
      }
      return new ReleaseIndex(APPLICATION, channel, c.serial, Optional.empty(), c.releases,
          c.revoked);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The artifact is found by its location.
   *
   * @throws NoSuchFileException when no bytes were given for that location
   * @throws IOException when {@code offset} is beyond the end of the bytes
   */
  @Override
  public InputStream open(Artifact artifact, long offset) throws IOException {
    Objects.requireNonNull(artifact, "artifact");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, was " + offset);
    }
    opens.add(new Open(artifact, offset));
    openFailures.call();
    byte[] bytes;
    synchronized (this) {
      bytes = contentByLocation.get(artifact.location());
    }
    if (bytes == null) {
      throw new NoSuchFileException(artifact.location(), null, "not in the repository");
    }
    if (offset > bytes.length) {
      throw new IOException("offset " + offset + " is beyond the end of " + artifact.location()
          + " (" + bytes.length + " bytes)");
    }
    return new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
  }

  /** Makes {@link #index} call number {@code n} (from 1) throw {@code failure}. */
  public InMemoryReleaseSource failIndexOnCall(int n, IOException failure) {
    indexFailures.failOnCall(n, failure);
    return this;
  }

  /** Makes {@link #open} call number {@code n} (from 1) throw {@code failure}. */
  public InMemoryReleaseSource failOpenOnCall(int n, IOException failure) {
    openFailures.failOnCall(n, failure);
    return this;
  }

  /** How many times {@link #index} was called, failed calls included. */
  public int indexCount() {
    return indexFailures.calls();
  }

  /** How many times {@link #open} was called, failed calls included. */
  public int openCount() {
    return opens.size();
  }

  /** Every call to {@link #open} so far, in order, with the offset asked for. */
  public List<Open> opens() {
    return List.copyOf(opens);
  }

  @Override
  public String describe() {
    return "in-memory release source";
  }

  private static String extension(byte[] b) {
    if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      return ".tar.gz";
    }
    if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
      return ".zip";
    }
    return "";
  }

  private static final class Channel {
    final List<Release> releases = new ArrayList<>();
    final List<Revocation> revoked = new ArrayList<>();
    long serial;
  }
}
