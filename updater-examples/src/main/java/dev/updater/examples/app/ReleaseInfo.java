package dev.updater.examples.app;

import dev.updater.core.Version;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a release of the example application says about itself, read from
 * {@code release.properties} at the root of its release directory: its {@code version} (the
 * application's build version; a real application bakes it in at build time) and the
 * {@code health.query} its health endpoint runs against the database.
 *
 * @param version the release's version
 * @param healthQuery the SQL the health endpoint runs; it must answer one row
 */
record ReleaseInfo(Version version, String healthQuery) {
  static final String FILE = "release.properties";

  static ReleaseInfo read(Path releaseDir) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(releaseDir.resolve(FILE), StandardCharsets.UTF_8)) {
      p.load(in);
    }
    String version = p.getProperty("version");
    if (version == null) {
      throw new IOException(releaseDir.resolve(FILE) + " has no 'version'");
    }
    return new ReleaseInfo(Version.parse(version),
        p.getProperty("health.query", "SELECT COUNT(*) FROM orders"));
  }
}
