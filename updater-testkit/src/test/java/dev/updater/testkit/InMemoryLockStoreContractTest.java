package dev.updater.testkit;

import dev.updater.core.spi.LockStore;

class InMemoryLockStoreContractTest extends LockStoreContract {
  @Override
  protected LockStore createLockStore(MutableClock clock) {
    return InMemoryLockStore.create(clock);
  }
}
