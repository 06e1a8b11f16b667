package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.spi.Activator;
import dev.updater.testkit.ActivatorContract;

/** The pointer file {@code current.txt} switched by rename, on the real disk. */
class PointerActivatorContractTest extends ActivatorContract {
  @Override
  protected Activator createActivator(Layout layout) {
    return PointerActivator.create(layout);
  }
}
