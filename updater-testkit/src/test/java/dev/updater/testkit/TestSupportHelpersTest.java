package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.Updater;
import dev.updater.core.Version;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Digests} and {@link Updaters}. */
class TestSupportHelpersTest {
  private static final String SHA256_OF_ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir Path dir;

  @Test
  void digestsAreTheLowerCaseHexSha256OfBytesTextAndFiles() throws Exception {
    Path file = Files.writeString(dir.resolve("abc"), "abc");

    assertThat(Digests.sha256("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo(SHA256_OF_ABC);
    assertThat(Digests.sha256("abc")).isEqualTo(SHA256_OF_ABC);
    assertThat(Digests.sha256(file)).isEqualTo(SHA256_OF_ABC);
  }

  @Test
  void updatersInstallOnATestFileSystemWithoutAFreeSpaceRequirement() throws Exception {
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    source.publish(Version.parse("1.0.0"), ReleaseArchives.tarGz(Map.of("VERSION", "1.0.0")));
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("shared/data"));

    Updater updater = Updaters.sharing(home, source, "data").build();
    updater.install(updater.check().orElseThrow());

    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
    assertThat(Files.isSymbolicLink(home.resolve("current/data"))).isTrue();
    assertThat(Updaters.builder(home, source).build().status().installed())
        .contains(Version.parse("1.0.0"));
  }
}
