package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.spi.Activator;
import dev.updater.testkit.ActivatorContract;

/** The {@code current} symbolic link switched by rename, on the real disk. */
class SymlinkActivatorContractTest extends ActivatorContract {
  @Override
  protected Activator createActivator(Layout layout) {
    return SymlinkActivator.builder(layout).build();
  }
}
