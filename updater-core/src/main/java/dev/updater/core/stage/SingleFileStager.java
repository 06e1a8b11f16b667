package dev.updater.core.stage;

import dev.updater.core.Artifact;
import dev.updater.core.spi.Stager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Stager} for releases whose artifact is the application itself, one file (a binary or
 * a fat jar), not an archive: it copies the verified artifact into the staging directory, under
 * the artifact's name or a fixed one, with an executable mode by default. Pair it with {@code
 * SingleFileActivator}.
 *
 * <pre>{@code
 * Updater.builder()
 *     .stager(SingleFileStager.builder().fileName("myapp").build())
 *     .activator(SingleFileActivator.builder(layout, Path.of("/usr/local/bin/myapp")).build())
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SingleFileStager implements Stager {
  private static final Set<PosixFilePermission> EXECUTABLE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> PLAIN =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Optional<String> fileName;
  private final boolean executable;

  private SingleFileStager(Builder b) {
    this.fileName = b.fileName;
    this.executable = b.executable;
  }

  /** A stager that keeps the artifact's name and makes the file executable. */
  public static SingleFileStager create() {
    return builder().build();
  }

  /** A builder for a stager. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void stage(Path file, Artifact artifact, Path target) throws IOException {
    stage(file, artifact, target, FileListener.NONE);
  }

  @Override
  public void stage(Path file, Artifact artifact, Path target, FileListener files)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(target, "target");
    String name = fileName.orElse(artifact.name());
    Path staged = target.resolve(name);
    Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    if (staged.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(staged, executable ? EXECUTABLE : PLAIN);
    }
    files.written(name, staged);
  }

  /** Configures a {@link SingleFileStager}. Not thread-safe. */
  public static final class Builder {
    private Optional<String> fileName = Optional.empty();
    private boolean executable = true;

    private Builder() {}

    /** The name the file gets in the release; default the artifact's name. */
    public Builder fileName(String fileName) {
      Objects.requireNonNull(fileName, "fileName");
      if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\")
          || fileName.equals(".") || fileName.equals("..") || fileName.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("fileName '" + fileName
            + "' must be a single file name without path separators");
      }
      this.fileName = Optional.of(fileName);
      return this;
    }

    /**
     * Whether the file gets mode {@code rwxr-xr-x} (the default, for a binary) or {@code
     * rw-r--r--} (a jar started by {@code java -jar}).
     */
    public Builder executable(boolean executable) {
      this.executable = executable;
      return this;
    }

    /** Builds the stager. */
    public SingleFileStager build() {
      return new SingleFileStager(this);
    }
  }
}
