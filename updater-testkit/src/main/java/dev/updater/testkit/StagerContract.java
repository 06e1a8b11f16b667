package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.Stager;
import dev.updater.core.spi.TreeLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Stager} must have, as a JUnit 5 test to extend: it turns an artifact
 * it accepts into exactly the expected tree inside the fresh directory it is given, writes nothing
 * outside that directory and leaves the artifact as it was, stages the same artifact again to the
 * same tree (crash recovery stages again), refuses an unsafe artifact with a {@link
 * RejectedArchiveException} without writing outside the directory, and stages for several threads
 * at once. Staged with a {@link Stager.FileListener}, it stages the same tree and tells only of
 * complete regular files inside the target, by their {@code /}-separated relative names; a stager
 * that declares an exact tree ({@link Stager#exactTree()}) declares limits its own sample keeps to.
 *
 * <pre>{@code
 * class SquashfsStagerContractTest extends StagerContract {
 *   protected Stager createStager() { return new SquashfsStager(); }
 *   protected Sample accepted(Path dir) throws IOException {
 *     return new Sample(SquashfsImages.write(dir.resolve("app.sqfs"), TREE), TREE);
 *   }
 *   protected Path rejected(Path dir) throws IOException {
 *     return SquashfsImages.withLinkTo(dir.resolve("evil.sqfs"), "/etc/passwd");
 *   }
 * }
 * }</pre>
 *
 * <p>The tests work on the real disk, in a fresh {@code @TempDir}: the artifacts in {@code
 * in/}, each target a fresh empty directory under {@code out/}, created by the test as the pipeline
 * creates it. Not thread-safe, like any JUnit test instance.
 */
public abstract class StagerContract {
  private static final int THREADS = 4;

  /** An artifact file the stager accepts, and the regular files it must stage, path to content. */
  public record Sample(Path file, Map<String, String> tree) {
    /** Copies the tree. */
    public Sample {
      tree = Map.copyOf(tree);
    }
  }

  /** The working directory of each test. */
  @TempDir
  protected Path dir;

  /** The stager under test, created before each test. */
  protected Stager stager;

  private Path in;
  private Path out;

  /** Creates the stager under test. */
  protected abstract Stager createStager() throws Exception;

  /** Writes into {@code dir} an artifact the stager accepts, and says what tree it must stage. */
  protected abstract Sample accepted(Path dir) throws Exception;

  /**
   * Writes into {@code dir} an artifact the stager must refuse as unsafe or corrupt, such as an
   * archive with an entry leaving the release. Called once, before it is staged.
   */
  protected abstract Path rejected(Path dir) throws Exception;

  /** Creates the stager and the working directories. */
  @BeforeEach
  public final void createStagerAndDirectories() throws Exception {
    stager = createStager();
    in = Files.createDirectories(dir.resolve("in"));
    out = Files.createDirectories(dir.resolve("out"));
  }

  @Test
  public void stagesExactlyTheTreeOfAnAcceptedArtifact() throws Exception {
    Sample sample = accepted(in);
    Path target = freshTarget("a");

    stager.stage(sample.file(), artifact(sample.file()), target);

    assertThat(regularFiles(target)).isEqualTo(new TreeMap<>(sample.tree()));
  }

  @Test
  public void writesNothingOutsideTheTargetAndLeavesTheArtifactAsItWas() throws Exception {
    Sample sample = accepted(in);
    byte[] before = Files.readAllBytes(sample.file());
    Map<String, String> elsewhere = digests(in);
    Path target = freshTarget("a");

    stager.stage(sample.file(), artifact(sample.file()), target);

    assertThat(Files.readAllBytes(sample.file())).isEqualTo(before);
    assertThat(digests(in)).isEqualTo(elsewhere);
    assertThat(list(out)).containsExactly(target);
    assertThat(list(dir)).containsExactlyInAnyOrder(in, out);
  }

  @Test
  public void stagesTheSameArtifactAgainToTheSameTree() throws Exception {
    Sample sample = accepted(in);
    Path first = freshTarget("first");
    Path second = freshTarget("second");

    stager.stage(sample.file(), artifact(sample.file()), first);
    stager.stage(sample.file(), artifact(sample.file()), second);

    assertThat(regularFiles(second)).isEqualTo(regularFiles(first));
  }

  @Test
  public void refusesAnUnsafeArtifactAndWritesNothingOutsideTheTarget() throws Exception {
    Path file = rejected(in);
    Map<String, String> elsewhere = digests(in);
    Path target = freshTarget("evil");

    assertThatThrownBy(() -> stager.stage(file, artifact(file), target))
        .isInstanceOf(RejectedArchiveException.class);

    assertThat(digests(in)).isEqualTo(elsewhere);
    assertThat(list(out)).containsExactly(target);
    assertThat(list(dir)).containsExactlyInAnyOrder(in, out);
  }

  @Test
  public void stagesForSeveralThreadsAtOnce() throws Exception {
    Sample sample = accepted(in);
    Artifact artifact = artifact(sample.file());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Map<String, String>>> trees = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        Path target = freshTarget("t" + i);
        trees.add(pool.submit(() -> {
          stager.stage(sample.file(), artifact, target);
          return regularFiles(target);
        }));
      }
      for (Future<Map<String, String>> tree : trees) {
        assertThat(tree.get(60, TimeUnit.SECONDS)).isEqualTo(new TreeMap<>(sample.tree()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void stagesTheSameTreeWhenToldOfEachFileAndTellsOnlyOfCompleteFilesInIt()
      throws Exception {
    Sample sample = accepted(in);
    Path target = freshTarget("told");
    Map<String, String> told = new TreeMap<>();

    stager.stage(sample.file(), artifact(sample.file()), target, (name, file) -> {
      assertThat(file.toAbsolutePath().normalize()).startsWith(target.toAbsolutePath());
      assertThat(target.relativize(file).toString().replace(file.getFileSystem().getSeparator(),
          "/")).isEqualTo(name);
      told.put(name, Digests.sha256(file));
    });

    Map<String, String> staged = regularFiles(target);
    assertThat(staged).isEqualTo(new TreeMap<>(sample.tree()));
    told.forEach((name, sha256) -> assertThat(Digests.sha256(target.resolve(name)))
        .as("%s as it was when the stager told of it", name).isEqualTo(sha256));
  }

  @Test
  public void declaresAnExactTreeOnlyWithLimitsItsOwnSampleKeepsTo() throws Exception {
    Sample sample = accepted(in);
    if (stager.exactTree().isEmpty()) {
      return; // staged trees are not compared with a manifest: nothing to declare
    }
    TreeLimits limits = stager.exactTree().orElseThrow();
    long bytes = sample.tree().values().stream()
        .mapToLong(c -> c.getBytes(StandardCharsets.UTF_8).length).sum();

    assertThat(sample.tree().size()).isLessThanOrEqualTo(limits.maxEntries());
    assertThat(bytes).isLessThanOrEqualTo(limits.maxTotalBytes());
    for (String name : sample.tree().keySet()) {
      assertThat(name.split("/").length).isLessThanOrEqualTo(limits.maxDepth());
      assertThat(name.length()).isLessThanOrEqualTo(limits.maxPathLength());
    }
  }

  /** The artifact the pipeline would pass for {@code file}: its name, size and SHA-256. */
  protected static Artifact artifact(Path file) throws IOException {
    String name = file.getFileName().toString();
    return new Artifact(name, Files.size(file), Digests.sha256(file), "releases/x/" + name);
  }

  private Path freshTarget(String name) throws IOException {
    return Files.createDirectory(out.resolve(name));
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.toList();
    }
  }

  /** Every regular file under {@code root}, by '/'-separated relative path, with its text. */
  private static Map<String, String> regularFiles(Path root) throws IOException {
    return walk(root, Files::readString);
  }

  /** Every regular file under {@code root}, by '/'-separated relative path, with its SHA-256. */
  private static Map<String, String> digests(Path root) throws IOException {
    return walk(root, Digests::sha256);
  }

  private static Map<String, String> walk(Path root, FileReader reader) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        String relative = root.relativize(p).toString().replace('\\', '/');
        try {
          files.put(relative, reader.read(p));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return files;
  }

  @FunctionalInterface
  private interface FileReader {
    String read(Path file) throws IOException;
  }
}
