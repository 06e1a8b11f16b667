package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.RawArchives;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The free space an install keeps, on a small file system of 64 MB: a release that does not fit
 * is refused before anything is downloaded, one that fits only by eating into the reserve too, an
 * archive bomb without a declared size is refused before its bytes are written, and a disk that
 * fills while the archive downloads stops the install with the partial file removed. Run on a
 * real size-limited file system ({@link FreeSpaceOnTmpfsTest}) and on the fault-injecting one
 * ({@link FreeSpaceOnFaultyFileSystemTest}).
 */
abstract class FreeSpaceContract {
  static final long MB = 1024 * 1024;
  static final long SIZE = 64 * MB;

  @TempDir Path repoDir;
  Path home;
  Layout layout;

  /** A fresh, empty directory on a file system of {@link #SIZE} bytes, for the home. */
  abstract Path smallFileSystem() throws IOException;

  @BeforeEach
  void createHome() throws IOException {
    home = smallFileSystem().resolve("app");
    layout = Layout.of(home);
  }

  Updater updater(ReleaseSource source, long reserveBytes) {
    return Updater.builder().home(home).source(source).freeSpace(reserveBytes, 3)
        .freeSpaceReserve(0.05).checkCacheTtl(Duration.ZERO).build();
  }

  @Test
  void aReleaseLargerThanTheFreeSpaceIsRefusedBeforeItsDownload() throws IOException {
    DeltaRepository repo = new DeltaRepository(repoDir);
    Counting source = new Counting(repo.directorySource());
    // an unchanged file the archive cannot compress, so that the archive is larger than the
    // one chunk of zeros the delta fetches (128 KiB: a 100 MB file is cut in larger chunks)
    byte[] noise = new byte[512 * 1024];
    new java.util.Random(5).nextBytes(noise);
    updater(source, 8 * MB).install(repo.publish("1.0.0", tar -> tar.file("VERSION", "1.0.0")
        .file("noise.bin", noise, 0644)));
    Release big = repo.publish("1.1.0", tar -> tar.file("VERSION", "1.1.0")
        .file("noise.bin", noise, 0644).file("data.bin", new byte[(int) (100 * MB)], 0644));
    long freeBefore = usable();

    assertThatThrownBy(() -> updater(source, 8 * MB).install(big))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_SPACE);
          assertThat(e.getMessage()).contains("needs 108.", "free on the file system of")
              .contains(home.toString(), "kept in reserve", "nothing was downloaded")
              // refused by the delta install's own count: its one fetched chunk of zeros
              // rebuilds a 100 MB file, so it is counted at 100 MB, not at the chunk's size
              .contains("for its changed files");
        });

    assertThat(source.opened(big.primaryArtifact())).as("archive downloads").isZero();
    assertUntouched("1.0.0", freeBefore);
  }

  @Test
  void aReleaseThatFitsOnlyWithoutTheReserveIsRefused() throws IOException {
    DeltaRepository repo = new DeltaRepository(repoDir);
    Counting source = new Counting(repo.directorySource());
    updater(source, 8 * MB).install(repo.publish("1.0.0", tar -> tar.file("VERSION", "1.0.0")));
    Release release = repo.publish("1.1.0", tar -> tar.file("VERSION", "1.1.0")
        .file("data.bin", new byte[(int) (40 * MB)], 0644));
    long freeBefore = usable();
    assertThat(40 * MB + 20 * MB).as("fits without the reserve").isLessThan(freeBefore);

    assertThatThrownBy(() -> updater(source, 30 * MB).install(release))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_SPACE);
          assertThat(e.getMessage()).contains("30.0 MB kept in reserve");
        });
    assertThat(source.opened(release.primaryArtifact())).isZero();
    assertUntouched("1.0.0", freeBefore);

    // the same release with a smaller reserve installs: its manifest declares its size, so its
    // inflation (about 1000:1 for zeros) is no reason to refuse it
    updater(source, 8 * MB).install(release);
    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/1.1.0");
    assertThat(Files.size(layout.current().resolve("data.bin"))).isEqualTo(40 * MB);
  }

  @Test
  void anArchiveInflatingAThousandfoldWithoutADeclaredSizeIsRefused() throws IOException {
    TestRepository repo = new TestRepository(repoDir);
    updater(repo.source(), 8 * MB).install(repo.publish(v("1.0.0")));
    byte[] bomb = gzip(RawArchives.tar().file("VERSION", "1.1.0", 0644)
        .file("zeros.bin", new byte[(int) (48 * MB)], 0644));
    assertThat(48 * MB / bomb.length).as("inflation").isGreaterThan(900);
    Release release = repo.publishArchive(v("1.1.0"), "app-1.1.0.tar.gz", bomb,
        UnaryOperator.identity());
    long freeBefore = usable();

    assertThatThrownBy(() -> updater(repo.source(), 8 * MB).install(release))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.ARCHIVE_REJECTED);
          assertThat(e.getMessage()).contains("expands to more than 100.0 times its size",
              "zeros.bin", "maxInflationRatio");
        });
    assertThat(Files.exists(layout.state().resolve("staging"))).as("staging").isFalse();
    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/1.0.0");
    assertThat(releases()).containsExactly("1.0.0");
    assertThat(usable()).as("free space").isGreaterThan(freeBefore - MB);
  }

  @Test
  void aDiskThatFillsDuringTheDownloadStopsItAndRemovesThePartialFile() throws IOException {
    TestRepository repo = new TestRepository(repoDir);
    updater(repo.source(), 8 * MB).install(repo.publish(v("1.0.0")));
    Release release = repo.publishArchive(v("1.1.0"), "app-1.1.0.tar.gz",
        gzip(RawArchives.tar().file("VERSION", "1.1.0", 0644)
            .file("noise.bin", random(12 * MB), 0644)), UnaryOperator.identity());
    Path filler = layout.shared().resolve("data/filler.bin");
    // the running application writes its data while the archive downloads: 10 MB stay free
    Filling source = new Filling(repo.source(), 0, () -> fill(filler, usable() - 10 * MB));

    assertThatThrownBy(() -> updater(source, 8 * MB).install(release))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_SPACE);
          assertThat(e.step()).contains(Step.DOWNLOAD);
          assertThat(e.getMessage()).contains("would leave less than the 8.0 MB kept free");
        });

    assertThat(source.filled.get()).isEqualTo(1);
    assertThat(downloads()).as("the partial download was removed").isEmpty();
    assertThat(Files.size(filler)).as("the application's data").isEqualTo(source.filledBytes);
    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/1.0.0");
  }

  @Test
  void aDiskThatFillsDuringADeltaInstallStopsItBeforeTheReserveAndChangesNothing()
      throws IOException {
    DeltaRepository repo = new DeltaRepository(repoDir);
    FillingObjects source = new FillingObjects(repo.directorySource(),
        object -> object.size() >= 4 * MB, () -> fill(filler(), usable() - 14 * MB));
    byte[] kept = random(10 * MB, 1);
    updater(source, 8 * MB).install(repo.publish("1.0.0", tar -> tar.file("VERSION", "1.0.0")
        .file("kept.bin", kept, 0644)));
    // the changed file is smaller than the archive, so the update is installed as a delta
    Release release = repo.publish("1.1.0", tar -> tar.file("VERSION", "1.1.0")
        .file("kept.bin", kept, 0644).file("noise.bin", random(12 * MB, 2), 0644));
    HomeSnapshot before = HomeSnapshot.of(layout);

    // the gate passes (12 MB to write, some 50 MB free); then another process leaves 14 MB free
    // as the changed file starts to stream in: writing all of it would eat into the 8 MB reserve
    assertStoppedBeforeTheReserve(source, release, before);
  }

  @Test
  void aDiskThatFillsWhileADeltaRebuildsAFileFromChunksStopsItBeforeTheReserve()
      throws IOException {
    DeltaRepository repo = new DeltaRepository(repoDir);
    byte[] first = random(12 * MB, 3);
    byte[] next = first.clone();
    System.arraycopy(random(6 * MB, 4), 0, next, (int) (6 * MB), (int) (6 * MB));
    updater(repo.directorySource(), 8 * MB).install(repo.publish("1.0.0",
        tar -> tar.file("VERSION", "1.0.0").file("data.bin", first, 0644)));
    // half the file is new: it is rebuilt from the live file's chunks and the new ones fetched
    Release release = repo.publish("1.1.0", tar -> tar.file("VERSION", "1.1.0")
        .file("data.bin", next, 0644));
    Set<String> chunks = repo.readManifest("1.1.0").get("data.bin").orElseThrow().chunks()
        .stream().map(c -> c.sha256()).collect(Collectors.toSet());
    // the new chunks come out of the release's pack (parts of up to 4 MB), or one by one
    FillingObjects source = new FillingObjects(repo.directorySource(),
        object -> chunks.contains(object.name()), MB, () -> fill(filler(), usable() - 14 * MB));
    HomeSnapshot before = HomeSnapshot.of(layout);

    assertStoppedBeforeTheReserve(source, release, before);
  }

  /** The delta install of {@code release} is stopped by the reserve and changes nothing. */
  private void assertStoppedBeforeTheReserve(FillingObjects source, Release release,
      HomeSnapshot before) throws IOException {
    assertThatThrownBy(() -> updater(source, 8 * MB).install(release))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_SPACE);
          assertThat(e.step()).contains(Step.DOWNLOAD);
          assertThat(e.getMessage()).contains("would leave less than the 8.0 MB kept free");
        });
    assertThat(source.filled.get()).as("filled once, after the gate").isEqualTo(1);
    assertThat(source.opened(release.primaryArtifact())).as("no archive fallback").isZero();
    assertThat(HomeSnapshot.of(layout)).as("live release, data and journal").isEqualTo(before);
    assertThat(Files.exists(layout.state().resolve("staging"))).as("staging").isFalse();
    assertThat(usable()).as("what the install wrote is freed").isGreaterThan(13 * MB);
  }

  /** Where another process fills the home's file system: beside the home, not in it. */
  private Path filler() {
    return home.resolveSibling("filler.bin");
  }

  @Test
  void aWriteThatFailsOnAFullDiskStopsTheDownloadAndRemovesThePartialFile() throws IOException {
    TestRepository repo = new TestRepository(repoDir);
    updater(repo.source(), 8 * MB).install(repo.publish(v("1.0.0")));
    Release release = repo.publishArchive(v("1.1.0"), "app-1.1.0.tar.gz",
        gzip(RawArchives.tar().file("VERSION", "1.1.0", 0644)
            .file("noise.bin", random(3 * MB), 0644)), UnaryOperator.identity());
    Path filler = layout.shared().resolve("data/filler.bin");
    // with no reserve, the disk fills between two looks at the free space: the write fails
    Filling source = new Filling(repo.source(), 1, () -> fill(filler, usable() - 16 * 1024));
    Updater noReserve = Updater.builder().home(home).source(source).freeSpace(0, 0)
        .freeSpaceReserve(0).checkCacheTtl(Duration.ZERO).build();

    assertThatThrownBy(() -> noReserve.install(release))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_SPACE);
          assertThat(e.step()).contains(Step.DOWNLOAD);
          assertThat(e.getMessage()).contains("cannot write the download of app-1.1.0.tar.gz",
              "the partial file was deleted");
        });

    assertThat(downloads()).as("the partial download was removed").isEmpty();
    assertThat(Files.size(filler)).isEqualTo(source.filledBytes);
    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/1.0.0");
  }

  private void assertUntouched(String live, long freeBefore) throws IOException {
    assertThat(Files.readSymbolicLink(layout.current())).hasToString("releases/" + live);
    assertThat(releases()).containsExactly(live);
    assertThat(downloads()).isEmpty();
    assertThat(usable()).as("free space").isGreaterThan(freeBefore - MB);
  }

  private String[] releases() throws IOException {
    try (Stream<Path> s = Files.list(layout.releases())) {
      return s.map(p -> p.getFileName().toString()).toArray(String[]::new);
    }
  }

  private java.util.List<String> downloads() throws IOException {
    Path dir = layout.state().resolve("downloads");
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return java.util.List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  long usable() throws IOException {
    FileStore store = Files.getFileStore(home);
    return store.getUsableSpace();
  }

  private static long fill(Path file, long bytes) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] chunk = new byte[(int) MB];
    long left = bytes;
    try (var out = Files.newOutputStream(file)) {
      while (left > 0) {
        int n = (int) Math.min(chunk.length, left);
        out.write(chunk, 0, n);
        left -= n;
      }
    }
    return bytes;
  }

  private static byte[] random(long size) {
    return random(size, 42);
  }

  private static byte[] random(long size, long seed) {
    byte[] b = new byte[(int) size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] gzip(RawArchives.Tar tar) throws IOException {
    Path tmp = Files.createTempFile("free-space", ".tar.gz");
    try {
      return Files.readAllBytes(tar.writeTarGz(tmp));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Filled into the home's file system while the archive downloads. */
  interface Filler {
    long fill() throws IOException;
  }

  /** A source that counts how often each artifact is opened. */
  static class Counting implements ReleaseSource {
    final ReleaseSource delegate;
    private final java.util.Map<String, AtomicInteger> opens =
        new java.util.concurrent.ConcurrentHashMap<>();

    Counting(ReleaseSource delegate) {
      this.delegate = delegate;
    }

    int opened(Artifact artifact) {
      return opens.getOrDefault(artifact.name(), new AtomicInteger()).get();
    }

    @Override public ReleaseIndex index(String channel) throws IOException {
      return delegate.index(channel);
    }

    @Override public InputStream open(Artifact artifact, long offset) throws IOException {
      opens.computeIfAbsent(artifact.name(), n -> new AtomicInteger()).incrementAndGet();
      return delegate.open(artifact, offset);
    }

    @Override public boolean servesObjects() {
      return delegate.servesObjects();
    }

    @Override public InputStream openObject(Release release, String sha256, long size)
        throws IOException {
      return delegate.openObject(release, sha256, size);
    }
  }

  /**
   * A source that fills the disk on the first read of a per-file object (stored compressed, read
   * through {@link #open}) that {@code when} picks.
   */
  static final class FillingObjects extends Counting {
    final AtomicInteger filled = new AtomicInteger();
    private final Predicate<Artifact> when;
    private final long packPartsFrom;
    private final Filler filler;

    /** Fills at the first read of an object {@code when} accepts. */
    FillingObjects(ReleaseSource delegate, Predicate<Artifact> when, Filler filler) {
      this(delegate, when, Long.MAX_VALUE, filler);
    }

    /** Also fills at the first read of a part of a pack of at least {@code packPartsFrom} bytes. */
    FillingObjects(ReleaseSource delegate, Predicate<Artifact> when, long packPartsFrom,
        Filler filler) {
      super(delegate);
      this.when = when;
      this.packPartsFrom = packPartsFrom;
      this.filler = filler;
    }

    @Override public InputStream open(Artifact artifact, long offset) throws IOException {
      InputStream in = super.open(artifact, offset);
      if (!artifact.location().startsWith("objects/") || !when.test(artifact)) {
        return in;
      }
      return filling(in);
    }

    @Override public Opened openPart(Artifact artifact, long offset, long length)
        throws IOException {
      Opened part = super.openPart(artifact, offset, length);
      if (!artifact.location().startsWith("packs/") || length < packPartsFrom) {
        return part;
      }
      return new Opened(filling(part.body()), part.offset(), part.validator());
    }

    private InputStream filling(InputStream in) {
      return new FilterInputStream(in) {
        @Override public int read(byte[] b, int off, int len) throws IOException {
          if (filled.compareAndSet(0, 1)) {
            filler.fill();
          }
          return super.read(b, off, len);
        }
      };
    }
  }

  /** A source whose artifact stream fills the disk when the chunk {@code atRead} was read. */
  static final class Filling extends Counting {
    final AtomicInteger filled = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final int atRead;
    private final Filler filler;
    volatile long filledBytes;

    Filling(ReleaseSource delegate, int atRead, Filler filler) {
      super(delegate);
      this.atRead = atRead;
      this.filler = filler;
    }

    @Override public InputStream open(Artifact artifact, long offset) throws IOException {
      return new FilterInputStream(super.open(artifact, offset)) {
        @Override public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, Math.min(len, 64 * 1024));
          if (n > 0 && reads.getAndIncrement() == atRead) {
            filled.incrementAndGet();
            filledBytes = filler.fill();
          }
          return n;
        }
      };
    }
  }
}
