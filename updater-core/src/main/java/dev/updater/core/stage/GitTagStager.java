package dev.updater.core.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updater.core.Artifact;
import dev.updater.core.command.Command;
import dev.updater.core.command.CommandResult;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.Stager;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Stager} for the releases of a {@code GitReleaseSource}: it reads the tag descriptor the
 * source served (repository, tag, commit, pinned by its SHA-256 in the index), exports that
 * commit's tree with {@code git archive} and extracts it into the staging directory through an
 * {@link ArchiveStager}, with the same checks as any archive. A build hook on {@code
 * after(Step.STAGE)} then builds the tree before it is published.
 *
 * <pre>{@code
 * Updater.builder()
 *     .source(GitReleaseSource.builder("/srv/git/myapp.git").build())
 *     .stager(GitTagStager.create())
 *     .after(Step.STAGE, CommandHook.shell("make build").build())
 * }</pre>
 *
 * <p>The tree has no {@code .git} directory: a build that needs the version reads {@code
 * $UPDATER_TO} (set for command hooks). Immutable and thread-safe.
 */
public final class GitTagStager implements Stager {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArchiveStager archives;
  private final Duration timeout;

  private GitTagStager(ArchiveStager archives, Duration timeout) {
    this.archives = archives;
    this.timeout = timeout;
  }

  /** A stager extracting with {@link ArchiveStager#defaults()}, giving git 5 minutes. */
  public static GitTagStager create() {
    return new GitTagStager(ArchiveStager.defaults(), Duration.ofMinutes(5));
  }

  /** A stager extracting with {@code archives} (its caps), giving git {@code timeout}. */
  public static GitTagStager of(ArchiveStager archives, Duration timeout) {
    Objects.requireNonNull(archives, "archives");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new GitTagStager(archives, timeout);
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
    JsonNode d;
    try {
      d = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new RejectedArchiveException(artifact.name() + " is not a git tag descriptor ("
          + e.getMessage() + "); GitTagStager stages the releases of a GitReleaseSource");
    }
    String repository = d.path("repository").asText("");
    String tag = d.path("tag").asText("");
    String commit = d.path("commit").asText("");
    if (repository.isEmpty() || !commit.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
      throw new RejectedArchiveException(artifact.name() + " is not a git tag descriptor (it "
          + "needs a repository and a commit id); GitTagStager stages the releases of a "
          + "GitReleaseSource");
    }
    Path tree = Files.createTempFile("updater-git-", ".tar.gz");
    try {
      CommandResult result = git(Path.of(repository), List.of("git", "archive",
          "--format=tar.gz", "-o", tree.toString(), commit));
      if (!result.succeeded()) {
        throw new IOException("cannot export " + tag + " (" + commit + ") of " + repository
            + ": " + result.describe());
      }
      archives.stage(tree, new Artifact(artifact.name() + ".tar.gz", Files.size(tree),
          "0".repeat(64), artifact.location()), target, files);
    } finally {
      Files.deleteIfExists(tree);
    }
  }

  private CommandResult git(Path dir, List<String> line) throws IOException {
    try {
      return Command.builder(line).directory(dir).timeout(timeout).build().run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while exporting a git tag");
    }
  }
}
