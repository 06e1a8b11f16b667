package dev.updater.core.source;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.internal.format.IndexReader;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReleaseSource} that reads an update repository from a local or mounted directory (an
 * air-gapped install, a USB stick, a shared volume). The layout is the one any static file host
 * serves:
 *
 * <pre>
 * &lt;repository&gt;/channels/&lt;channel&gt;.json      the channel's index (see docs/repository.md)
 * &lt;repository&gt;/releases/&lt;version&gt;/&lt;file&gt;    artifacts, located by their relative path
 * </pre>
 *
 * <p>A directory source reads only its own tree. Artifact locations ({@code url} in the index)
 * must be relative URL paths such as {@code releases/1.2.0/app-1.2.0.tar.gz}; absolute paths,
 * {@code ..} segments and URLs with a scheme ({@code https:}, {@code file:}) are refused with a
 * {@link VerificationException}, and so is any file, index or artifact, whose real path (after
 * following symbolic links) lies outside the repository. An index larger than 4 MiB is
 * refused without reading it whole.
 *
 * <p>A source made with {@link #of(Path, TrustedKeys)} accepts only an index signed by a trusted
 * key: it reads {@code channels/<channel>.json.minisig} (a minisign signature, at most 4 KiB) beside
 * the index and verifies it over the exact index bytes <em>before</em> parsing them; an index
 * without a signature, or with one that is malformed, by an unknown key or not matching, is refused
 * with a {@link VerificationException} (see {@code docs/signing.md}). A source made with {@link
 * #of(Path)} does not check signatures: use it only where the directory itself is trusted. Either
 * way the pipeline checks each artifact's size and SHA-256 against the index.
 *
 * <pre>{@code
 * TrustedKeys keys = TrustedKeys.read(Path.of("/etc/myapp/updater.pub"));
 * ReleaseSource source = DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp"), keys);
 * ReleaseIndex stable = source.index("stable");
 * }</pre>
 *
 * <p>Immutable and thread-safe: every call opens its own files and keeps nothing between calls.
 */
public final class DirectoryReleaseSource implements ReleaseSource {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryReleaseSource.class);

  private final Path root;
  private final IndexReader reader;

  private DirectoryReleaseSource(Path root, IndexReader reader) {
    this.root = root;
    this.reader = reader;
  }

  /**
   * A source reading the repository at {@code repository} without checking signatures: it trusts
   * whatever the directory holds.
   */
  public static DirectoryReleaseSource of(Path repository) {
    return new DirectoryReleaseSource(
        Objects.requireNonNull(repository, "repository").toAbsolutePath().normalize(),
        IndexReader.unsigned());
  }

  /**
   * A source reading the repository at {@code repository} that accepts only indexes signed by one
   * of {@code keys}.
   */
  public static DirectoryReleaseSource of(Path repository, TrustedKeys keys) {
    return new DirectoryReleaseSource(
        Objects.requireNonNull(repository, "repository").toAbsolutePath().normalize(),
        IndexReader.signed(Objects.requireNonNull(keys, "keys")));
  }

  /**
   * A source reading the repository at {@code repository} that follows its signed key lists from
   * {@code root} and accepts only indexes signed by the newest list's publishing keys (see {@code
   * docs/signing.md}).
   */
  public static DirectoryReleaseSource of(Path repository, TrustRoot root) {
    return new DirectoryReleaseSource(
        Objects.requireNonNull(repository, "repository").toAbsolutePath().normalize(),
        IndexReader.rooted(Objects.requireNonNull(root, "root")));
  }

  /**
   * Reads {@code <repository>/channels/<channel>.json}, verifies its signature {@code
   * <channel>.json.minisig} if this source checks signatures, then parses it.
   *
   * @throws IllegalArgumentException when {@code channel} is not a channel name (an ASCII letter
   *     or digit, then letters, digits, {@code .}, {@code _} or {@code -})
   * @throws NoSuchFileException when the channel is not published in this repository
   * @throws VerificationException when the index is too large, malformed, leads outside the
   *     repository, or names another channel than the one asked for; and for a signed source,
   *     when the signature is missing, malformed, by a key that is not trusted, or does not match
   */
  @Override
  public ReleaseIndex index(String channel) throws IOException {
    Objects.requireNonNull(channel, "channel");
    if (!MetadataJson.isChannelName(channel)) {
      throw new IllegalArgumentException("'" + channel + "' is not a channel name: it must start "
          + "with an ASCII letter or digit, followed by letters, digits, '.', '_' or '-'");
    }
    Path file = root.resolve("channels").resolve(channel + ".json");
    Path real = realFileInside(file, "channel '" + channel + "' is not published in " + root);
    byte[] bytes = readCapped(real, file, MetadataJson.MAX_INDEX_BYTES, "an index");
    ReleaseIndex index;
    try {
      index = reader.read(channel, bytes, this::readOptional);
    } catch (VerificationException e) {
      throw new VerificationException(file + ": " + e.getMessage(), e);
    }
    LOG.debug("Read the index of channel {} from {}: serial {}, {} release(s)", channel, root,
        index.serial(), index.releases().size());
    return index;
  }

  /**
   * Opens the artifact's file, located by its repository-relative {@code url}, positioned {@code
   * offset} bytes in.
   *
   * @throws IllegalArgumentException when {@code offset} is negative or beyond {@code
   *     artifact.size()}
   * @throws VerificationException when the location is not a relative path inside the repository,
   *     or the file is shorter than {@code offset}
   * @throws NoSuchFileException when the file is not in the repository
   */
  @Override
  public InputStream open(Artifact artifact, long offset) throws IOException {
    Objects.requireNonNull(artifact, "artifact");
    if (offset < 0 || offset > artifact.size()) {
      throw new IllegalArgumentException("offset " + offset + " is outside 0.." + artifact.size()
          + " for artifact " + artifact.name());
    }
    Path file = root;
    try {
      for (String segment : segments(artifact)) {
        file = file.resolve(segment);
      }
    } catch (InvalidPathException e) {
      throw refused(artifact, "is not a valid path on this file system: " + e.getMessage());
    }
    Path real = realFileInside(file,
        "artifact " + artifact.name() + " is not in the repository " + root);
    SeekableByteChannel channel = Files.newByteChannel(real, StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS);
    try {
      long size = channel.size();
      if (offset > size) {
        throw new VerificationException(file + " is " + size + " bytes, shorter than the offset "
            + offset + " to resume artifact " + artifact.name() + " from");
      }
      channel.position(offset);
      return Channels.newInputStream(channel);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** True: a directory repository serves {@code objects/<aa>/<sha256>}. */
  @Override
  public boolean servesObjects() {
    return true;
  }

  /**
   * Opens {@code <repository>/objects/<first two hex digits>/<sha256>}.
   *
   * @throws IllegalArgumentException when {@code sha256} is not 64 lower-case hex digits
   * @throws NoSuchFileException when the object is not in the repository
   * @throws VerificationException when it leads outside the repository
   */
  @Override
  public InputStream openObject(Release release, String sha256, long size) throws IOException {
    Path file = root.resolve(ObjectPaths.relative(sha256));
    Path real = realFileInside(file, "object " + sha256 + " of " + release.version()
        + " is not in the repository " + root);
    return Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public String describe() {
    return "directory " + root + reader.describeTrust();
  }

  /** A small file beside the index (a signature, a key list), capped, or empty when absent. */
  private Optional<byte[]> readOptional(String relativePath, int cap) throws IOException {
    Path file = root;
    for (String segment : relativePath.split("/")) {
      file = file.resolve(segment);
    }
    Path real;
    try {
      real = realFileInside(file, "no file " + file);
    } catch (NoSuchFileException e) {
      return Optional.empty(); // the reader decides whether it was needed
    }
    return Optional.of(readCapped(real, file, cap,
        relativePath.endsWith(".minisig") ? "a signature" : "a key list"));
  }

  /**
   * The real path of {@code file}, checked to lie inside the repository and to be a regular file.
   */
  private Path realFileInside(Path file, String missing) throws IOException {
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, missing);
    }
    Path realRoot = root.toRealPath();
    if (!real.startsWith(realRoot)) {
      throw new VerificationException(file + " leads outside the repository " + root + " (to "
          + real + "); a directory source reads only its own tree");
    }
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileSystemException(file.toString(), null, "not a regular file");
    }
    return real;
  }

  private static byte[] readCapped(Path real, Path file, int cap, String what)
      throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(real, StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS)) {
      long size = channel.size();
      if (size > cap) {
        throw tooLarge(file, size + " bytes", cap, what);
      }
      byte[] bytes = Channels.newInputStream(channel).readNBytes(cap + 1);
      if (bytes.length > cap) {
        throw tooLarge(file, "more than " + cap + " bytes", cap, what);
      }
      return bytes;
    }
  }

  private static VerificationException tooLarge(Path file, String size, int cap, String what) {
    return new VerificationException(file + " is " + size + ", more than the " + cap
        + " bytes " + what + " may have; it was not read");
  }

  /**
   * The decoded path segments of the artifact's location, which must be a relative URL path
   * without {@code .} or {@code ..} segments, query or fragment.
   */
  private static List<String> segments(Artifact artifact) throws VerificationException {
    String location = artifact.location();
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw refused(artifact, "is not a valid relative URL: " + e.getReason());
    }
    if (uri.getScheme() != null) {
      throw refused(artifact, "has the scheme '" + uri.getScheme() + ":'; a directory source "
          + "reads only paths relative to its repository");
    }
    if (uri.getRawAuthority() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw refused(artifact, "must be a plain relative path, without '//host', '?' or '#'");
    }
    String rawPath = uri.getRawPath();
    if (rawPath == null || rawPath.isEmpty()) {
      throw refused(artifact, "has no path");
    }
    if (rawPath.startsWith("/")) {
      throw refused(artifact, "is an absolute path; it must be relative to the repository");
    }
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/", -1)) {
      String segment = percentDecode(artifact, raw);
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw refused(artifact, "has an empty, '.' or '..' segment");
      }
      if (segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0
          || segment.indexOf('\0') >= 0) {
        throw refused(artifact, "has a segment holding '/', '\\' or NUL");
      }
      segments.add(segment);
    }
    return segments;
  }

  private static String percentDecode(Artifact artifact, String raw) throws VerificationException {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length()) {
      int percent = raw.indexOf('%', i);
      if (percent < 0) {
        percent = raw.length();
      }
      bytes.writeBytes(raw.substring(i, percent).getBytes(StandardCharsets.UTF_8));
      if (percent < raw.length()) {
        // java.net.URI has already checked that two hexadecimal digits follow
        bytes.write(Integer.parseInt(raw.substring(percent + 1, percent + 3), 16));
        percent += 3;
      }
      i = percent;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw refused(artifact, "percent-encodes bytes that are not UTF-8");
    }
  }

  private static VerificationException refused(Artifact artifact, String why) {
    return new VerificationException("the location '" + artifact.location() + "' of artifact "
        + artifact.name() + " " + why);
  }
}
