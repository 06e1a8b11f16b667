package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionFromManifestTest {

  /** The class put into the jars built here; it needs nothing but the JDK. */
  static final class Probe {}

  @TempDir Path dir;

  @Test
  void shouldReturnTheImplementationVersionOfTheJarThatHoldsTheClass() throws Exception {
    Class<?> probe = load(jar("1.4.2"));

    assertThat(Version.fromManifest(probe)).contains(Version.parse("1.4.2"));
  }

  @Test
  void shouldReadAMavenSnapshotVersionAsAPreRelease() throws Exception {
    Class<?> probe = load(jar("0.1.0-SNAPSHOT"));

    assertThat(Version.fromManifest(probe)).hasValueSatisfying(
        v -> assertThat(v.preRelease()).containsExactly("SNAPSHOT"));
  }

  @Test
  void shouldBeEmptyWhenTheManifestHasNoImplementationVersion() throws Exception {
    Class<?> probe = load(jar(null));

    assertThat(Version.fromManifest(probe)).isEmpty();
  }

  @Test
  void shouldBeEmptyForAClassLoadedFromADirectory() {
    // This test class comes from target/test-classes, as an IDE runs an application.
    assertThat(Version.fromManifest(VersionFromManifestTest.class)).isEmpty();
  }

  @Test
  void shouldNameTheJarAndTheValueWhenItIsNotAVersion() throws Exception {
    Path jar = jar("build-17");
    Class<?> probe = load(jar);

    assertThatThrownBy(() -> Version.fromManifest(probe))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'build-17'")
        .hasMessageContaining(jar.toString());
  }

  private Path jar(String version) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (version != null) {
      manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    }
    String entry = Probe.class.getName().replace('.', '/') + ".class";
    Path jar = dir.resolve("app-" + version + ".jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = Probe.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  private static Class<?> load(Path jar) throws Exception {
    URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader());
    Class<?> probe = loader.loadClass(Probe.class.getName());
    assertThat(probe.getClassLoader()).isSameAs(loader);
    return probe;
  }
}
