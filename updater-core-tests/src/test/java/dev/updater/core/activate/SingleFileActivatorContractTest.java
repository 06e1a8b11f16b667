package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.spi.Activator;
import dev.updater.testkit.ActivatorContract;
import java.nio.file.Files;

/** One live file replaced by rename, its previous kept as {@code .bak}, on the real disk. */
class SingleFileActivatorContractTest extends ActivatorContract {
  @Override
  protected Activator createActivator(Layout layout) throws Exception {
    return SingleFileActivator.builder(layout,
        Files.createDirectories(layout.home().resolve("bin")).resolve("app")).build();
  }
}
