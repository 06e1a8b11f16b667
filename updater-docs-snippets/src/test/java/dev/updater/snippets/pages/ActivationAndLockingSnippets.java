package dev.updater.snippets.pages;

import dev.updater.core.Layout;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.spi.Activator;
import java.nio.file.Path;

/** The Java blocks of docs/activation-and-locking.md. */
final class ActivationAndLockingSnippets {

  void the_install_on_disk() throws Exception {
    // tag::the-install-on-disk[]
    Activator activator = SymlinkActivator.builder(Layout.of(Path.of("/opt/myapp")))
        .shared("data", "config/app.yml", "logs")
        .keep(3)
        .build();
    // end::the-install-on-disk[]
  }
}
