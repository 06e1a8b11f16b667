package dev.updater.snippets.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.source.ReleaseSources;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Java blocks of docs/spi.md. */
final class SpiSnippets {
  TrustedKeys keys;
  Path pluginDir;
  Path media;

  void plugging_in_a_release() throws Exception {
    // tag::plugging-in-a-release[]
    URI location = ReleaseSources.location("https://updates.example.com/myapp/"); // or a path
    ReleaseSource source = ReleaseSources.open(location, TrustedKeys.read(Path.of("updater.pub")));
    // end::plugging-in-a-release[]
  }

  /** A copy of the port's shape as the page shows it; ShownTypesTest compares the two. */
  static final class Shown {
  // tag::the-provider-contract[]
  public interface ReleaseSourceProvider {
    Set<String> schemes();                 // lower case, such as Set.of("usb")
    ReleaseSource open(Request request);   // IllegalArgumentException: a location it cannot use

    record Request(URI location, Optional<TrustedKeys> trustedKeys, Map<String, String> environment,
        Optional<TrustRoot> trustRoot) {}
  }
  // end::the-provider-contract[]
  }



  void worked_example_updates_from_3() throws Exception {
    // tag::open-usb[]
    ReleaseSource source = ReleaseSources.open(URI.create("usb:UPDATES"), keys);
    // end::open-usb[]
  }

  void testing_your_own_provider() throws Exception {
    // tag::testing-your-own-provider[]
    try (URLClassLoader loader = new URLClassLoader(new URL[] {pluginDir.toUri().toURL()},
        getClass().getClassLoader())) {
      assertThat(ReleaseSources.schemes(loader)).contains("usb");
      ReleaseSource source = ReleaseSources.open(URI.create("usb:STICK?mounts=" + media), keys, loader);
      assertThat(source.index("stable").releases()).isNotEmpty();
    }
    // end::testing-your-own-provider[]
  }
}
