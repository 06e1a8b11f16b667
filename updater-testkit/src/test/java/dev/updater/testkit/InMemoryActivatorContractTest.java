package dev.updater.testkit;

import dev.updater.core.Layout;
import dev.updater.core.spi.Activator;

class InMemoryActivatorContractTest extends ActivatorContract {
  @Override
  protected Activator createActivator(Layout layout) {
    return InMemoryActivator.create();
  }
}
