package dev.updater.snippets.readme;

// tag::embed[]
import dev.updater.core.Layout;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.systemd.Restarters;
import java.net.URI;
import java.nio.file.Path;

public final class MyApp {
  public static void main(String[] args) throws Exception {
    Path home = Path.of("/opt/myapp");                   // releases/, current, shared/, .updater/
    Updater updater = Updater.builder()
        .home(home)
        .source(HttpReleaseSource.builder(URI.create("https://updates.example.com/myapp/"))
            .trustedKeys(TrustedKeys.read(Path.of("/etc/myapp/updates.pub"))).build())
        .activator(SymlinkActivator.builder(Layout.of(home)).shared("data", "logs").build())
        .restarter(Restarters.firstAvailable("myapp"))   // pm2, systemd, or exit 75
        .healthCheck(HttpHealthCheck.of(URI.create("http://127.0.0.1:8080/api/health")))
        .runningVersion(Version.fromManifest(MyApp.class).orElseThrow())  // the jar's version
        .build();

    // ... start the application here, so that http://127.0.0.1:8080/api/health answers; then:
    updater.confirm();   // at every start: keeps a release that restarted healthy, else rolls back
    updater.check().ifPresent(updater::install);        // a failure rolls back and throws
  }
}
// end::embed[]
