package dev.updater.snippets.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.*;
import dev.updater.core.activate.*;
import dev.updater.core.admin.*;
import dev.updater.core.command.*;
import dev.updater.core.confirm.*;
import dev.updater.core.repository.*;
import dev.updater.core.source.*;
import dev.updater.core.source.github.*;
import dev.updater.core.spi.*;
import dev.updater.core.stage.*;
import dev.updater.core.trust.*;
import dev.updater.jdbc.*;
import dev.updater.systemd.*;
import dev.updater.testkit.*;
import java.io.*;
import java.net.*;
import java.net.http.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import javax.sql.DataSource;

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
