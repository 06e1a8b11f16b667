package dev.updater.core.activate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.updater.core.spi.InvalidLayoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SymlinkActivatorFlowTest} on the real disk, plus what only the real disk can show: that
 * readers never see {@code current} missing or half-switched, and that a home spread over two file
 * systems is refused.
 */
class SymlinkActivatorTest extends SymlinkActivatorFlowTest {
  private static final int READERS = 6;
  private static final int MAX_SWAPS = 4000;
  private static final long MAX_SWAP_NANOS = 2_000_000_000L; // bounds the run, never asserted

  @TempDir Path tmp;

  @Override
  Path newHome() throws IOException {
    return Files.createDirectories(tmp.resolve("home"));
  }

  @Override
  Path newOutsideDirectory() throws IOException {
    return Files.createDirectories(tmp.resolve("outside"));
  }

  /** The swap is atomic: {@code current} is never observed missing. */
  @Test
  void readersNeverSeeCurrentMissingOrMixedWhileReleasesAreSwitched() throws Exception {
    Path a = publishLarge("1.0.0");
    Path b = publishLarge("2.0.0");
    SymlinkActivator activator = SymlinkActivator.builder(layout).keep(2).build();
    activator.activate(v("1.0.0"));

    Observed seen = hammer(i -> activator.activate(v(i % 2 == 0 ? "2.0.0" : "1.0.0")),
        Set.of(Files.readString(a.resolve("VERSION")), Files.readString(b.resolve("VERSION"))));

    assertThat(seen.failure.get()).isNull();
    assertThat(seen.swaps.get()).isPositive();
    assertThat(seen.reads.get()).isPositive();
    assertThat(seen.missing.get()).as("reads that found current missing").isZero();
    assertThat(seen.mixed.get()).as("reads that saw neither release whole").isZero();
  }

  /**
   * The control for the test above: switching with delete + create (what {@code ln -sfn} does) is
   * seen by readers as a missing {@code current}, so the test above can tell the two apart.
   */
  @Test
  void readersDoSeeCurrentMissingWhenALinkIsDeletedAndCreatedAgain() throws Exception {
    Path a = publishLarge("1.0.0");
    Path b = publishLarge("2.0.0");
    SymlinkActivator.create(layout).activate(v("1.0.0"));
    Path current = layout.current();

    Observed seen = hammer(i -> {
      Files.delete(current);
      Files.createSymbolicLink(current, Path.of("releases", i % 2 == 0 ? "2.0.0" : "1.0.0"));
    }, Set.of(Files.readString(a.resolve("VERSION")), Files.readString(b.resolve("VERSION"))));

    assertThat(seen.failure.get()).isNull();
    assertThat(seen.missing.get()).as("reads that found current missing").isPositive();
  }

  /** Staging elsewhere than the releases cannot be moved into place atomically. */
  @Test
  void shouldRefuseInPreflightAStateDirectoryOnAnotherFileSystem() throws IOException {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "needs /dev/shm");
    assumeTrue(!Files.getFileStore(shm).equals(Files.getFileStore(tmp)),
        "needs /dev/shm on another file system than the temporary directory");
    Path elsewhere = Files.createTempDirectory(shm, "updater-state");
    try {
      Files.createSymbolicLink(layout.state(), elsewhere);
      Map<String, String> before = snapshot(layout.home());

      assertThatThrownBy(() -> SymlinkActivator.create(layout).preflight())
          .isInstanceOf(InvalidLayoutException.class)
          .hasMessageContaining("another file system");
      assertThat(snapshot(layout.home())).isEqualTo(before);
    } finally {
      Files.delete(elsewhere);
    }
  }

  @Test
  void shouldRefuseInPreflightAReleasesLink() throws IOException {
    Path real = Files.createDirectories(outside.resolve("releases"));
    Files.createSymbolicLink(layout.releases(), real);

    assertThatThrownBy(() -> SymlinkActivator.create(layout).preflight())
        .isInstanceOf(InvalidLayoutException.class)
        .hasMessageContaining("real directory");
  }

  // ---- the hammer --------------------------------------------------------------------------

  interface Swap {
    void run(int i) throws IOException;
  }

  static final class Observed {
    final AtomicLong swaps = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong missing = new AtomicLong();
    final AtomicLong mixed = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
  }

  /** Runs swaps on this thread while {@link #READERS} threads read through {@code current}. */
  private Observed hammer(Swap swap, Set<String> wholeContents) throws InterruptedException {
    Observed seen = new Observed();
    Path current = layout.current();
    Set<Path> targets = Set.of(Path.of("releases", "1.0.0"), Path.of("releases", "2.0.0"));
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(READERS);
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < READERS; r++) {
      Thread t = new Thread(() -> {
        started.countDown();
        while (!done.get()) {
          try {
            if (!targets.contains(Files.readSymbolicLink(current))) {
              seen.mixed.incrementAndGet();
            }
            if (!wholeContents.contains(Files.readString(current.resolve("VERSION")))) {
              seen.mixed.incrementAndGet();
            }
            seen.reads.incrementAndGet();
          } catch (NoSuchFileException e) {
            seen.missing.incrementAndGet();
          } catch (Throwable e) {
            seen.failure.compareAndSet(null, e);
          }
        }
      }, "reader-" + r);
      t.start();
      readers.add(t);
    }
    started.await();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < MAX_SWAPS && System.nanoTime() - start < MAX_SWAP_NANOS; i++) {
        swap.run(i);
        seen.swaps.incrementAndGet();
      }
    } catch (Throwable e) {
      seen.failure.compareAndSet(null, e);
    } finally {
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    System.out.printf("%d swaps, %d reads, %d missing, %d mixed%n",
        seen.swaps.get(), seen.reads.get(), seen.missing.get(), seen.mixed.get());
    return seen;
  }

  /** A release whose VERSION file is large enough that a torn read would show. */
  private Path publishLarge(String version) throws IOException {
    Path dir = publish(version);
    Files.writeString(dir.resolve("VERSION"), (version + "\n").repeat(2000));
    return dir;
  }
}
