package dev.updater.snippets.pages;

import dev.updater.core.CheckReport;
import dev.updater.core.Release;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.ReleaseSources;
import dev.updater.core.source.ResolvedSource;
import dev.updater.core.source.SourceSettings;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.ReleaseGate;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.trust.TrustedKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Java blocks of docs/sources.md. */
final class SourcesSnippets {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SourcesSnippets.class);
  Path home;
  ReleaseSource source;
  Updater updater;
  TrustedKeys keys;
  Licence licence;

  /** The application's licence, which the gate example reads. */
  interface Licence {
    boolean enterprise();

    String name();
  }

  void the_check_cache() throws Exception {
    // tag::the-check-cache[]
    Updater updater = Updater.builder()
        .home(home)
        .source(source)
        .checkCacheTtl(Duration.ofMinutes(30))   // default 1 hour; Duration.ZERO: no cache
        .build();

    updater.check();        // = check(false): from the cache when it is recent enough
    updater.check(true);    // "Check now": reads the source, and refreshes the cache
    // end::the-check-cache[]
  }

  void the_check_report() throws Exception {
    // tag::the-check-report[]
    CheckReport r = updater.report(false);
    if (r.installable()) {
      updater.install(r.update().orElseThrow());
    } else if (r.updateAvailable()) {
      log.warn("{} is available but cannot be installed: {}", r.latest().orElseThrow(),
          r.incompatibility().orElseThrow());
    }
    // end::the-check-report[]
  }

  // tag::licence-gate[]
  final class LicenseGate implements ReleaseGate {
    @Override
    public void check(Release release, Optional<Version> installed) throws IncompatibleReleaseException {
      if (release.version().major() >= 3 && !licence.enterprise()) {
        throw new IncompatibleReleaseException(release.version() + " needs the enterprise licence");
      }
    }

    @Override
    public Map<String, String> facts() {          // must not throw
      return Map.of("licence", licence.name());
    }
  }
  // end::licence-gate[]

  void which_source_an_install() throws Exception {
    // tag::which-source-an-install[]
    ResolvedSource r = ReleaseSources.resolve("MYAPP_UPDATE_SOURCE", Path.of("/opt/myapp"),
        URI.create("https://updates.example.com/myapp/"));
    ReleaseSource source = ReleaseSources.open(r.settings().source(), keys);
    log.info("updates from {} ({})", r.settings().source(), r.origin());  // ENVIRONMENT, STORED or DEFAULT
    // end::which-source-an-install[]
  }

  void which_source_an_install_2() throws Exception {
    // tag::source-settings[]
    SourceSettings.of(URI.create("https://mirror.example.org/myapp/"))
        .withTrustedKeys(List.of(Path.of("/etc/myapp/updater.pub")))
        .withChannel("beta")
        .write(home);                                  // atomically: temp file, fsync, rename
    Optional<SourceSettings> stored = SourceSettings.read(home);
    Optional<TrustedKeys> keys = stored.get().readTrustedKeys();
    // end::source-settings[]
  }
}
