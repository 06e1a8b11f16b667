package dev.updater.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.updater.core.Artifact;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.Stager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A fresh staging layout under a temporary directory: {@code in/} for archives, {@code staging/}
 * as the (empty) target and {@code outside/}, a sentinel directory beside it that must stay empty.
 */
public final class StagingFixture {
  public final Path root;
  final Path in;
  public final Path target;
  public final Path outside;

  public StagingFixture(Path root) throws IOException {
    this.root = root;
    this.in = Files.createDirectories(root.resolve("in"));
    this.target = Files.createDirectories(root.resolve("staging"));
    this.outside = Files.createDirectories(root.resolve("outside"));
  }

  public static Artifact artifact(Path file) throws IOException {
    return new Artifact(file.getFileName().toString(), Files.size(file), "0".repeat(64),
        "releases/" + file.getFileName());
  }

  public void stage(Stager stager, Path archive) throws IOException {
    stager.stage(archive, artifact(archive), target);
  }

  /** Stages, expects a rejection, checks nothing escaped, and returns the rejection's message. */
  public String rejected(Stager stager, Path archive) throws IOException {
    return rejection(stager, archive).getMessage();
  }

  /** Stages, expects a rejection, checks nothing escaped, and returns the rejection. */
  RejectedArchiveException rejection(Stager stager, Path archive) throws IOException {
    Throwable thrown = catchThrowable(() -> stage(stager, archive));
    assertThat(thrown).isExactlyInstanceOf(RejectedArchiveException.class);
    assertNothingOutsideTarget();
    return (RejectedArchiveException) thrown;
  }

  /** A rejection of a corrupt archive: the message says so and the decoder's error is attached. */
  public void assertCorrupt(Stager stager, Path archive) throws IOException {
    RejectedArchiveException e = rejection(stager, archive);
    assertThat(e).hasMessageContaining("corrupt or truncated");
    assertThat(e.getCause()).as("the decoder's exception as the cause").isNotNull();
  }

  /** No path exists beside the target except the archives, and the sentinel stayed empty. */
  public void assertNothingOutsideTarget() throws IOException {
    List<Path> stray;
    try (Stream<Path> all = Files.walk(root)) {
      stray = all.filter(p -> !p.equals(root) && !p.equals(outside) && !p.startsWith(target)
              && !p.startsWith(in))
          .collect(Collectors.toList());
    }
    assertThat(stray).as("paths created outside the staging directory").isEmpty();
    try (Stream<Path> sentinel = Files.list(outside)) {
      assertThat(sentinel).as("files written through a link into %s", outside).isEmpty();
    }
  }
}
