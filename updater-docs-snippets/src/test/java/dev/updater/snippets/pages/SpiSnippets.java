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

    record Request(URI location, Optional<TrustedKeys> trustedKeys, Map<String, String> environment) {}
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
