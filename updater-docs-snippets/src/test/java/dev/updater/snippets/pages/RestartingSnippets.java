package dev.updater.snippets.pages;

import static dev.updater.systemd.Restarters.*;

import dev.updater.core.UpdateContext;
import dev.updater.core.Updater;
import dev.updater.core.confirm.Watcher;
import dev.updater.core.spi.Restarter;
import dev.updater.systemd.Availability;
import dev.updater.systemd.CommandEnvironment;
import dev.updater.systemd.DetectableRestarter;
import dev.updater.systemd.Restarters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The Java blocks of docs/restarting.md. */
final class RestartingSnippets {

  void the_chain() throws Exception {
    // tag::the-chain[]
    // import static dev.updater.systemd.Restarters.*;
    Updater updater = Updater.builder()
        // ...
        .restarter(firstAvailable("myapp"))
        // the same as:
        // .restarter(firstAvailable(pm2("myapp"), systemdUser("myapp"), systemdSystem("myapp"), exitWith(75)))
        .build();
    // end::the-chain[]
  }

  void timeouts_path_and_output() throws Exception {
    // tag::timeouts-path-and-output[]
    CommandEnvironment commands = CommandEnvironment.system().toBuilder()
        .variable("PATH", "/usr/local/bin:/usr/bin:/bin")
        .restartTimeout(Duration.ofMinutes(2))
        .build();
    Restarter restarter = Restarters.firstAvailable("myapp", commands);
    // end::timeouts-path-and-output[]
  }

  void the_watcher_under_systemd() throws Exception {
    Updater.builder()
        // tag::the-watcher-under-systemd[]
        .restarter(Restarters.firstAvailable("myapp"))
        .watcher(Watcher.builder()
            .restartCommand("systemctl", "--user", "restart", "myapp.service")   // or "pm2", "restart", "myapp"
            .wrapper("systemd-run", "--user", "--scope", "--quiet", "--collect")   // systemd only
            .build())
        // end::the-watcher-under-systemd[]
        .build();
  }

  // tag::your-own-supervisor[]
  final class RunitRestarter implements DetectableRestarter {
    @Override
    public Availability availability() {
      return Files.isDirectory(Path.of("/etc/service/myapp"))
          ? Availability.available("runit service myapp exists")
          : Availability.unavailable("no /etc/service/myapp");
    }

    @Override
    public void restart(UpdateContext context) throws Exception { /* sv restart myapp */ }

    @Override
    public String description() { return "sv restart myapp"; }
  }
  // end::your-own-supervisor[]
}
