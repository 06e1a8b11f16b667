package dev.updater.testkit;

import dev.updater.core.Artifact;
import dev.updater.core.spi.Stager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Stager} that does not unpack anything: it copies the artifact into the target under the
 * artifact's name, so the staged release holds exactly the bytes that were downloaded. It records
 * every call and can be told to fail at call N, for example with a
 * {@link dev.updater.core.spi.RejectedArchiveException} to test a refused archive.
 *
 * <pre>{@code
 * RecordingStager stager = RecordingStager.create()
 *     .failOnCall(1, new RejectedArchiveException("entry escapes the release"));
 * Updater updater = Updater.builder()...stager(stager).build();
 * ...
 * assertThat(stager.calls()).extracting(RecordingStager.Call::artifact).hasSize(1);
 * }</pre>
 *
 * <p>A call told to fail writes nothing. Every call is recorded, including the ones told to fail.
 * Thread-safe.
 */
public final class RecordingStager implements Stager {
  /** One call of {@link #stage}. */
  public record Call(Path file, Artifact artifact, Path target) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Failures<IOException> failures = Failures.create();

  private RecordingStager() {}

  /** A fake that stages every artifact until told otherwise. */
  public static RecordingStager create() {
    return new RecordingStager();
  }

  @Override
  public void stage(Path file, Artifact artifact, Path target) throws IOException {
    calls.add(new Call(Objects.requireNonNull(file, "file"),
        Objects.requireNonNull(artifact, "artifact"), Objects.requireNonNull(target, "target")));
    failures.call();
    Files.copy(file, target.resolve(artifact.name()));
  }

  /** Makes call number {@code n} (from 1) throw {@code failure}; later calls succeed. */
  public RecordingStager failOnCall(int n, IOException failure) {
    failures.failOnCall(n, failure);
    return this;
  }

  /** Makes call {@code n} and every later call throw {@code failure}. */
  public RecordingStager failFromCall(int n, IOException failure) {
    failures.failFromCall(n, failure);
    return this;
  }

  /** Every call so far, in order, failed calls included. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** How many times it was called. */
  public int callCount() {
    return failures.calls();
  }
}
