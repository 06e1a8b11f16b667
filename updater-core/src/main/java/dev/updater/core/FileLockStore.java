package dev.updater.core;

import dev.updater.core.spi.Lease;
import dev.updater.core.spi.LockStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link LockStore} for one install: a small JSON record in a file (normally
 * {@code <home>/.updater/lock.json}) naming the holder, its process, its fencing token and its
 * expiry, read and changed only under an operating-system file lock (and an in-process mutex, for
 * threads of one JVM).
 *
 * <p>A lock is taken over when it has expired, or when its holder was a process on this host that
 * no longer runs; the takeover is logged. Tokens increase with every acquisition and survive
 * release.
 *
 * <pre>{@code
 * LockStore lock = FileLockStore.create(layout.state().resolve("lock.json"));
 * }</pre>
 *
 * <p>Thread-safe and safe across processes on one host.
 */
public final class FileLockStore implements LockStore {
  private final Path file;
  private final Clock clock;

  private FileLockStore(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** A lock kept in {@code file}, on the system clock. */
  public static FileLockStore create(Path file) {
    return create(file, Clock.systemUTC());
  }

  /** A lock kept in {@code file}, with expiry judged by {@code clock}. */
  public static FileLockStore create(Path file, Clock clock) {
    return new FileLockStore(Objects.requireNonNull(file, "file").toAbsolutePath(),
        Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public Optional<Lease> tryAcquire(String owner, Duration ttl) throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public Optional<Lease> renew(Lease lease, Duration ttl) throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public void release(Lease lease) throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public Optional<Lease> holder() throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
