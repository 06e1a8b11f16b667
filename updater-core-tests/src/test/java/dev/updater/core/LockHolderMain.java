package dev.updater.core;

import dev.updater.core.activate.FileLockStore;
import dev.updater.core.activate.FileLockStoreTest;
import dev.updater.core.spi.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A child process for {@link FileLockStoreTest}: acquires the lock in {@code args[0]} for an hour
 * as owner "child", prints {@code HELD <token>} (or {@code BUSY}), then either exits at once
 * ({@code exit}) or waits until its standard input closes ({@code hold}). It never releases.
 */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws Exception {
    Optional<Lease> lease =
        FileLockStore.create(Path.of(args[0])).tryAcquire("child", Duration.ofHours(1));
    System.out.println(lease.map(l -> "HELD " + l.token()).orElse("BUSY"));
    System.out.flush();
    if (args[1].equals("hold")) {
      while (System.in.read() >= 0) {
        // wait for the parent to close our input
      }
    }
  }
}
