package dev.updater.core.source;

import dev.updater.core.Layout;
import dev.updater.core.UpdateException;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.source.SourceSettingsFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which source an install reads, as remembered in its home ({@code <home>/.updater/source.json}):
 * the source's location, the public key files its metadata must be signed by, and optionally the
 * channel. The stored choice: set once (from an admin page, or by the {@code updater}
 * command after a successful {@code --source}), then used when no environment variable names a
 * source; see {@link ReleaseSources#resolve}.
 *
 * <pre>{@code
 * SourceSettings.of(URI.create("https://updates.example.com/myapp/"))
 *     .withTrustedKeys(List.of(Path.of("/etc/myapp/updater.pub")))
 *     .write(home);
 * Optional<SourceSettings> stored = SourceSettings.read(home);
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #write} replaces the file atomically (temp file, fsync,
 * rename), so a reader sees the old or the new settings.
 *
 * @param source the source's location (see {@link ReleaseSources#location})
 * @param trustedKeys absolute paths of minisign public key files; empty when none are remembered
 * @param channel the channel to follow, if remembered
 * @param rootThreshold 0 when {@code trustedKeys} are the publishing keys themselves; else they
 *     are root keys ({@link TrustRoot}), this many of which must sign the first key list
 */
public record SourceSettings(URI source, List<Path> trustedKeys, Optional<String> channel,
    int rootThreshold) {

  /** The settings file's name in the home's {@code .updater/} directory. */
  public static final String FILE_NAME = "source.json";

  public SourceSettings {
    Objects.requireNonNull(source, "source");
    List<Path> absolute = new ArrayList<>();
    for (Path p : Objects.requireNonNull(trustedKeys, "trustedKeys")) {
      absolute.add(Objects.requireNonNull(p, "trusted key file").toAbsolutePath().normalize());
    }
    trustedKeys = List.copyOf(absolute);
    Objects.requireNonNull(channel, "channel");
    if (rootThreshold < 0 || rootThreshold > trustedKeys.size()) {
      throw new IllegalArgumentException("the root threshold must be between 0 (no trust root) "
          + "and the number of key files (" + trustedKeys.size() + "), was " + rootThreshold);
    }
  }

  /** Settings whose key files are the publishing keys themselves. */
  public SourceSettings(URI source, List<Path> trustedKeys, Optional<String> channel) {
    this(source, trustedKeys, channel, 0);
  }

  /** Settings naming only {@code source}. */
  public static SourceSettings of(URI source) {
    return new SourceSettings(source, List.of(), Optional.empty());
  }

  /** These settings with {@code files} as the trusted key files (made absolute). */
  public SourceSettings withTrustedKeys(List<Path> files) {
    return new SourceSettings(source, files, channel);
  }

  /**
   * These settings with {@code files} as root key files, {@code threshold} of which must sign the
   * repository's first key list (see {@link TrustRoot}).
   */
  public SourceSettings withTrustRoot(List<Path> files, int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("a root threshold is at least 1, was " + threshold);
    }
    return new SourceSettings(source, files, channel, threshold);
  }

  /** These settings with {@code channel} remembered. */
  public SourceSettings withChannel(String channel) {
    return new SourceSettings(source, trustedKeys, Optional.of(channel), rootThreshold);
  }

  /** The settings file of {@code home}: {@code <home>/.updater/source.json}. */
  public static Path file(Path home) {
    return Layout.of(home).state().resolve(FILE_NAME);
  }

  /**
   * Reads the settings remembered in {@code home}, or empty when none are.
   *
   * @throws UpdateException {@code IO_ERROR} when the file cannot be read or is not valid (the
   *     message names the file; fix or delete it)
   */
  public static Optional<SourceSettings> read(Path home) {
    Path file = file(home);
    try {
      Optional<SourceSettingsFile.Fields> fields = SourceSettingsFile.read(file);
      if (fields.isEmpty()) {
        return Optional.empty();
      }
      List<Path> keys = new ArrayList<>();
      for (String k : fields.get().trust()) {
        keys.add(Path.of(k));
      }
      return Optional.of(new SourceSettings(ReleaseSources.location(fields.get().source()), keys,
          fields.get().channel(), fields.get().rootThreshold()));
    } catch (IOException | IllegalArgumentException e) { // InvalidPath-, InvalidSourceException
      throw new UpdateException(UpdateException.Reason.IO_ERROR, null, "cannot use the remembered "
          + "source settings in " + file + ": " + e.getMessage() + "; fix the file or delete it "
          + "and name the source again", e);
    }
  }

  /**
   * Remembers these settings in {@code home}, replacing what was there, atomically.
   *
   * @throws UpdateException {@code IO_ERROR} when the file cannot be written; the old file is then
   *     unchanged
   */
  public void write(Path home) {
    Path file = file(home);
    try {
      SourceSettingsFile.write(file, new SourceSettingsFile.Fields(source.toString(),
          trustedKeys.stream().map(Path::toString).toList(), channel, rootThreshold));
    } catch (IOException e) {
      throw new UpdateException(UpdateException.Reason.IO_ERROR, null, "cannot write the source "
          + "settings " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the trusted key files, or empty when none are remembered or they are root keys.
   *
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException when a file is not a minisign public key
   */
  public Optional<TrustedKeys> readTrustedKeys() throws IOException {
    if (trustedKeys.isEmpty() || rootThreshold > 0) {
      return Optional.empty();
    }
    return Optional.of(TrustedKeys.read(trustedKeys.toArray(Path[]::new)));
  }

  /**
   * Reads the root key files as a {@link TrustRoot}, or empty when the remembered keys are not
   * root keys.
   *
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException when a file is not a minisign public key
   */
  public Optional<TrustRoot> readTrustRoot() throws IOException {
    if (rootThreshold == 0) {
      return Optional.empty();
    }
    return Optional.of(TrustRoot.read(rootThreshold, trustedKeys.toArray(Path[]::new)));
  }
}
