package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ReleaseSource} must have, as a JUnit 5 test to extend: it lists what
 * was published in a channel, serves each artifact with exactly the size and SHA-256 its index
 * lists (from the start or from an offset, to resume a download), answers a channel or artifact it
 * does not have with {@link NoSuchFileException}, describes itself, and serves several threads at
 * once.
 *
 * <pre>{@code
 * class S3ReleaseSourceContractTest extends ReleaseSourceContract {
 *   @Override
 *   protected ReleaseSource createSource(Map<Version, byte[]> releases) throws Exception {
 *     releases.forEach((version, archive) -> bucket.publish("stable", version, archive));
 *     return S3ReleaseSource.of(bucket.uri());
 *   }
 * }
 * }</pre>
 *
 * <p>Each test publishes its releases once, through {@link #createSource}, before it reads
 * anything. The artifacts are small release archives (a few hundred bytes). Not thread-safe, like
 * any JUnit test instance.
 */
public abstract class ReleaseSourceContract {
  /** The channel every release is published in. */
  protected static final String CHANNEL = "stable";
  /** The first release the tests publish. */
  protected static final Version V1 = Version.parse("1.0.0");
  /** The second release the tests publish. */
  protected static final Version V2 = Version.parse("1.1.0");
  private static final int THREADS = 8;

  private Map<Version, byte[]> published;
  private ReleaseSource source;

  /**
   * Publishes one release per entry in channel {@value #CHANNEL}, each with one artifact holding
   * exactly the given bytes (a {@code .tar.gz}), and returns a source reading them. Called once
   * per test, before anything is read.
   */
  protected abstract ReleaseSource createSource(Map<Version, byte[]> releases) throws Exception;

  /** Publishes {@link #V1} and {@link #V2} and creates the source under test. */
  @BeforeEach
  public final void publishReleases() throws Exception {
    published = new LinkedHashMap<>();
    published.put(V1, ReleaseArchives.tarGz(Map.of("VERSION", V1.toString(), "bin/app", "one")));
    published.put(V2, ReleaseArchives.builder().file("VERSION", V2.toString())
        .executable("bin/app", "#!/bin/sh\necho " + V2 + "\n").file("lib/data.txt", "x".repeat(700))
        .tarGz());
    source = createSource(Map.copyOf(published));
  }

  @Test
  public void listsEveryReleasePublishedInTheChannel() throws Exception {
    ReleaseIndex index = source.index(CHANNEL);

    assertThat(index.releases()).extracting(Release::version).containsExactlyInAnyOrder(V1, V2);
  }

  @Test
  public void servesEachArtifactWithTheSizeAndSha256ItsIndexLists() throws Exception {
    for (Release release : source.index(CHANNEL).releases()) {
      Artifact artifact = release.primaryArtifact();
      byte[] bytes = read(artifact, 0);

      assertThat(bytes).as("artifact of %s", release.version())
          .isEqualTo(published.get(release.version()));
      assertThat(artifact.size()).isEqualTo(bytes.length);
      assertThat(artifact.sha256()).isEqualTo(Digests.sha256(bytes));
    }
  }

  @Test
  public void servesAnArtifactFromAnOffsetToResumeADownload() throws Exception {
    Artifact artifact = artifactOf(V2);
    byte[] whole = published.get(V2);
    int offset = whole.length / 3;

    assertThat(read(artifact, offset)).isEqualTo(Arrays.copyOfRange(whole, offset, whole.length));
  }

  @Test
  public void servesTheLastByteAloneFromTheOffsetBeforeTheEnd() throws Exception {
    Artifact artifact = artifactOf(V1);
    byte[] whole = published.get(V1);

    assertThat(read(artifact, whole.length - 1)).containsExactly(whole[whole.length - 1]);
  }

  @Test
  public void answersAChannelItDoesNotHaveWithNoSuchFile() {
    assertThatThrownBy(() -> source.index("nightly")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  public void answersAnArtifactItDoesNotHoldWithNoSuchFile() throws Exception {
    Artifact real = artifactOf(V1);
    String missingName = "missing-" + real.name();
    String location = real.location().substring(0, real.location().lastIndexOf(real.name()))
        + missingName;
    Artifact missing = new Artifact(missingName, real.size(), real.sha256(), location);

    assertThatThrownBy(() -> read(missing, 0)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  public void describesItselfForLogsAndErrors() {
    assertThat(source.describe()).isNotBlank();
  }

  @Test
  public void servesSeveralThreadsAtOnceTheSameContent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Map<Version, byte[]>>> results = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        results.add(pool.submit((Callable<Map<Version, byte[]>>) this::readEverything));
      }
      for (Future<Map<Version, byte[]>> result : results) {
        Map<Version, byte[]> got = result.get(60, TimeUnit.SECONDS);
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(published.keySet());
        got.forEach((v, bytes) -> assertThat(bytes).isEqualTo(published.get(v)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private Map<Version, byte[]> readEverything() throws IOException {
    Map<Version, byte[]> got = new LinkedHashMap<>();
    for (Release release : source.index(CHANNEL).releases()) {
      got.put(release.version(), read(release.primaryArtifact(), 0));
    }
    return got;
  }

  private Artifact artifactOf(Version version) throws IOException {
    return source.index(CHANNEL).releases().stream()
        .filter(r -> r.version().equals(version)).findFirst()
        .orElseThrow(() -> new AssertionError(version + " is not listed"))
        .primaryArtifact();
  }

  /** Reads at most what the port allows: the rest of the artifact and one byte more. */
  private byte[] read(Artifact artifact, long offset) throws IOException {
    try (InputStream in = source.open(artifact, offset)) {
      return in.readNBytes((int) (artifact.size() - offset + 1));
    }
  }
}
