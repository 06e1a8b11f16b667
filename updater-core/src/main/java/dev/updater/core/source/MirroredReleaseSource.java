package dev.updater.core.source;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One update repository served by several mirrors: the index is read from every mirror and the
 * freshest valid one wins, and artifact and object bytes come from the first mirror that serves
 * them, starting with the one whose index won.
 *
 * <pre>{@code
 * ReleaseSource source = MirroredReleaseSource.of(List.of(
 *     HttpReleaseSource.builder(URI.create("https://updates.example.com/myapp/"))
 *         .trustedKeys(keys).build(),
 *     HttpReleaseSource.builder(URI.create("https://mirror.example.org/myapp/"))
 *         .trustedKeys(keys).build()));
 * }</pre>
 *
 * <p>Mirrors need no trust of their own: each mirror checks the signature of the index it serves
 * (give each the same trusted keys, or the same trust root), the pipeline checks every artifact's size and SHA-256 and
 * every object's, and the freshness rules (serial, expiry) apply to the index that wins. Reading
 * every mirror's index is what makes a stale or frozen mirror harmless: of the indexes that
 * verify, the one with the highest {@code serial} is used (the first listed on a tie), so a mirror
 * that replays an old index is outvoted by one that is current. The cost is one small request per
 * mirror per check.
 *
 * <p>Failures: a mirror that is down, answers with an error or serves an index that does not
 * verify is skipped and logged. When no mirror serves a valid index, {@link #index} throws a
 * {@link VerificationException} if any mirror served a bad one (tampering must not look like an
 * outage), else the first mirror's failure; the others are attached as suppressed. An artifact
 * whose download fails on one mirror, at the start or part way, continues on the next from the
 * same offset, which is safe because the pipeline hashes the whole file; an object that a mirror
 * cannot open is asked of the next.
 *
 * <p>Immutable and thread-safe when the mirrors are.
 */
public final class MirroredReleaseSource implements ReleaseSource {
  private static final Logger LOG = LoggerFactory.getLogger(MirroredReleaseSource.class);

  private final List<ReleaseSource> mirrors;
  /** The mirror whose index won last: artifacts are asked of it first. */
  private final AtomicInteger preferred = new AtomicInteger();

  private MirroredReleaseSource(List<ReleaseSource> mirrors) {
    this.mirrors = mirrors;
  }

  /**
   * The repository served by {@code mirrors}, in order of preference.
   *
   * @throws IllegalArgumentException when the list is empty or names a mirror twice
   */
  public static MirroredReleaseSource of(List<? extends ReleaseSource> mirrors) {
    Objects.requireNonNull(mirrors, "mirrors");
    if (mirrors.isEmpty()) {
      throw new IllegalArgumentException("a mirrored source needs at least one mirror");
    }
    List<ReleaseSource> copy = new ArrayList<>(mirrors.size());
    for (ReleaseSource mirror : mirrors) {
      Objects.requireNonNull(mirror, "a mirror is null");
      if (copy.contains(mirror)) {
        throw new IllegalArgumentException("the mirror " + mirror.describe() + " is listed twice");
      }
      copy.add(mirror);
    }
    return new MirroredReleaseSource(List.copyOf(copy));
  }

  /** The mirrors, in order of preference. */
  public List<ReleaseSource> mirrors() {
    return mirrors;
  }

  /**
   * Reads the index of {@code channel} from every mirror and returns the valid one with the
   * highest serial (the first mirror's on a tie).
   *
   * @throws VerificationException when no mirror served a valid index and one served a bad one
   * @throws IOException the first mirror's failure when every mirror failed otherwise
   */
  @Override
  public ReleaseIndex index(String channel) throws IOException {
    ReleaseIndex[] indexes = new ReleaseIndex[mirrors.size()];
    List<IOException> failures = new ArrayList<>();
    int best = -1;
    for (int i = 0; i < mirrors.size(); i++) {
      try {
        indexes[i] = mirrors.get(i).index(channel);
        if (best < 0 || indexes[i].serial() > indexes[best].serial()) {
          best = i;
        }
      } catch (IOException e) {
        LOG.warn("Mirror {} failed to serve the index of channel '{}': {}",
            mirrors.get(i).describe(), channel, e.toString());
        failures.add(e);
      }
    }
    if (best < 0) {
      throw combined(failures);
    }
    for (int i = 0; i < indexes.length; i++) {
      if (indexes[i] != null && indexes[i].serial() < indexes[best].serial()) {
        LOG.warn("The index of channel '{}' at {} has serial {}, below {} at {}: that mirror is "
            + "stale", channel, mirrors.get(i).describe(), indexes[i].serial(),
            indexes[best].serial(), mirrors.get(best).describe());
      }
    }
    preferred.set(best);
    return indexes[best];
  }

  /**
   * Opens the artifact on the mirror whose index won last, else on the next that serves it. When
   * the stream fails part way, reading continues on the next mirror from the same offset.
   *
   * @throws NoSuchFileException when no mirror has it
   * @throws IOException the first failure when every mirror failed
   */
  @Override
  public InputStream open(Artifact artifact, long offset) throws IOException {
    FailoverStream stream = new FailoverStream(artifact, inPreferredOrder(), offset);
    stream.openNext(null);
    return stream;
  }

  /** Opens the part on the mirror whose index won last, else on the next that serves it. */
  @Override
  public Opened openPart(Artifact artifact, long offset, long length) throws IOException {
    List<IOException> failures = new ArrayList<>();
    for (ReleaseSource mirror : inPreferredOrder()) {
      try {
        return mirror.openPart(artifact, offset, length);
      } catch (VerificationException | InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        LOG.warn("Mirror {} failed to serve part of {}: {}", mirror.describe(), artifact.name(),
            e.toString());
        failures.add(e);
      }
    }
    throw combined(failures);
  }

  /** True when at least one mirror serves per-file objects. */
  @Override
  public boolean servesObjects() {
    return mirrors.stream().anyMatch(ReleaseSource::servesObjects);
  }

  /** Opens the object on the first mirror, in preferred order, that serves objects and has it. */
  @Override
  public InputStream openObject(Release release, String sha256, long size) throws IOException {
    List<IOException> failures = new ArrayList<>();
    for (ReleaseSource mirror : inPreferredOrder()) {
      if (!mirror.servesObjects()) {
        continue;
      }
      try {
        return mirror.openObject(release, sha256, size);
      } catch (IOException e) {
        LOG.warn("Mirror {} failed to serve object {}: {}", mirror.describe(), sha256,
            e.toString());
        failures.add(e);
      }
    }
    if (failures.isEmpty()) {
      throw new UnsupportedOperationException(describe() + " serves no per-file objects");
    }
    throw combined(failures);
  }

  @Override
  public String describe() {
    List<String> names = new ArrayList<>(mirrors.size());
    for (ReleaseSource mirror : mirrors) {
      names.add(mirror.describe());
    }
    return "mirrors " + names;
  }

  @Override
  public String toString() {
    return describe();
  }

  private List<ReleaseSource> inPreferredOrder() {
    int first = preferred.get();
    List<ReleaseSource> order = new ArrayList<>(mirrors.size());
    order.add(mirrors.get(first));
    for (int i = 0; i < mirrors.size(); i++) {
      if (i != first) {
        order.add(mirrors.get(i));
      }
    }
    return order;
  }

  /**
   * The bytes of one artifact from the first mirror that serves them; a read failure moves to the
   * next mirror at the same offset. A {@link VerificationException} (a mirror sending more than
   * the declared size, say) and an interruption are thrown, never failed over.
   */
  private static final class FailoverStream extends InputStream {
    private final Artifact artifact;
    private final List<ReleaseSource> order;
    private final List<IOException> failures = new ArrayList<>();
    private int next;
    private long position;
    private ReleaseSource mirror;
    private InputStream in;

    FailoverStream(Artifact artifact, List<ReleaseSource> order, long offset) {
      this.artifact = artifact;
      this.order = order;
      this.position = offset;
    }

    /** Opens the artifact on the next mirror that serves it, after {@code failure} (if any). */
    void openNext(IOException failure) throws IOException {
      if (failure != null) {
        failures.add(failure);
      }
      while (next < order.size()) {
        ReleaseSource candidate = order.get(next++);
        try {
          in = candidate.open(artifact, position);
          if (mirror != null) {
            LOG.warn("Continuing {} on mirror {} after {} bytes", artifact.name(),
                candidate.describe(), position);
          }
          mirror = candidate;
          return;
        } catch (IOException e) {
          LOG.warn("Mirror {} failed to serve {}: {}", candidate.describe(), artifact.name(),
              e.toString());
          failures.add(e);
        }
      }
      in = null;
      throw combined(failures);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (true) {
        if (in == null) {
          throw combined(failures);
        }
        try {
          int n = in.read(b, off, len);
          if (n > 0) {
            position += n;
          }
          return n;
        } catch (VerificationException | java.io.InterruptedIOException e) {
          throw e;
        } catch (IOException e) {
          LOG.warn("Mirror {} failed while sending {} after {} bytes: {}", mirror.describe(),
              artifact.name(), position, e.toString());
          closeQuietly(in);
          openNext(e);
        }
      }
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }

    private static void closeQuietly(InputStream stream) {
      try {
        stream.close();
      } catch (IOException e) {
        LOG.debug("Closing a failed mirror's stream: {}", e.toString());
      }
    }
  }

  /** A bad index outranks an outage; else the first failure, with the others suppressed. */
  private static IOException combined(List<IOException> failures) {
    IOException main = failures.stream()
        .filter(e -> e instanceof VerificationException)
        .findFirst()
        .orElse(failures.get(0));
    for (IOException e : failures) {
      if (e != main) {
        main.addSuppressed(e);
      }
    }
    return main;
  }
}
