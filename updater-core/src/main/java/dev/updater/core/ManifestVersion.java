package dev.updater.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Reads the {@code Implementation-Version} of the jar a class was loaded from. */
final class ManifestVersion {
  private ManifestVersion() {}

  static Optional<Version> of(Class<?> type) {
    Optional<Path> jar = jarOf(type);
    Optional<String> text = jar.isPresent()
        ? read(jar.get())
        : Optional.ofNullable(type.getPackage()).map(Package::getImplementationVersion);
    return text.map(String::strip).filter(t -> !t.isEmpty()).map(t -> parse(t, type, jar));
  }

  private static Version parse(String text, Class<?> type, Optional<Path> jar) {
    try {
      return Version.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the Implementation-Version '" + text + "' of "
          + jar.map(Path::toString).orElse("the package of " + type.getName())
          + " is not a version: " + e.getMessage()
          + "; build the jar with a Semantic Version such as 1.2.0", e);
    }
  }

  private static Optional<Path> jarOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null
        || !"file".equals(source.getLocation().getProtocol())) {
      return Optional.empty();
    }
    try {
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> read(Path jar) {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest manifest = file.getManifest();
      return manifest == null
          ? Optional.empty()
          : Optional.ofNullable(
              manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + jar + ": " + e.getMessage(),
          e);
    }
  }
}
