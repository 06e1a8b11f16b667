package dev.updater.testkit;

import dev.updater.core.activate.FileLockStore;
import dev.updater.core.spi.LockStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's {@link FileLockStore} against the contract, on the real disk (it relies on operating
 * system file locks). Every handle is a separate instance on the same file, as two updaters in
 * one process, or two processes, would have.
 */
class FileLockStoreContractTest extends LockStoreContract {
  @TempDir Path dir;

  @Override
  protected LockStore createLockStore(MutableClock clock) throws Exception {
    return FileLockStore.create(lockFile(), clock);
  }

  @Override
  protected LockStore anotherHandle(LockStore store, MutableClock clock) {
    return FileLockStore.create(lockFile(), clock);
  }

  private Path lockFile() {
    return dir.resolve(".updater").resolve("lock.json");
  }
}
