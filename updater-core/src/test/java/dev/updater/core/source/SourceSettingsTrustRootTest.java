package dev.updater.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remembered settings that trust root keys: written and read back with their threshold, read as a
 * {@link TrustRoot} (and not as publishing keys), and a damaged threshold refused naming the file.
 */
class SourceSettingsTrustRootTest {
  @TempDir Path home;

  @Test
  void shouldRememberRootKeysWithTheirThreshold() throws IOException {
    Path r1 = home.resolve("r1.pub");
    Path r2 = home.resolve("r2.pub");
    Files.writeString(r1, SigningKey.generate().publicKeyText());
    Files.writeString(r2, SigningKey.generate().publicKeyText());
    SourceSettings.of(URI.create("https://updates.example.com/myapp/"))
        .withTrustRoot(List.of(r1, r2), 2).withChannel("beta").write(home);

    SourceSettings read = SourceSettings.read(home).orElseThrow();
    assertThat(read.rootThreshold()).isEqualTo(2);
    assertThat(read.channel()).contains("beta");
    assertThat(read.readTrustedKeys()).isEmpty();
    TrustRoot root = read.readTrustRoot().orElseThrow();
    assertThat(root.threshold()).isEqualTo(2);
    assertThat(root.keys().keyIds()).hasSize(2);
    assertThat(Files.readString(SourceSettings.file(home))).contains("\"rootThreshold\":2");
  }

  @Test
  void shouldKeepPublishingKeySettingsAsTheyWere() throws IOException {
    Path pub = home.resolve("updater.pub");
    Files.writeString(pub, SigningKey.generate().publicKeyText());
    SourceSettings.of(URI.create("https://updates.example.com/myapp/"))
        .withTrustedKeys(List.of(pub)).write(home);
    SourceSettings read = SourceSettings.read(home).orElseThrow();
    assertThat(read.rootThreshold()).isZero();
    assertThat(read.readTrustRoot()).isEmpty();
    assertThat(read.readTrustedKeys()).isPresent();
    assertThat(Files.readString(SourceSettings.file(home))).doesNotContain("rootThreshold");
  }

  @Test
  void shouldRefuseADamagedOrImpossibleThreshold() throws IOException {
    Path file = SourceSettings.file(home);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"format\":1,\"source\":\"https://u.example/\",\"trust\":[\"/k.pub\"],"
        + "\"rootThreshold\":\"two\"}");
    assertThatThrownBy(() -> SourceSettings.read(home)).isInstanceOf(UpdateException.class)
        .hasMessageContaining("'rootThreshold' must be a positive integer");
    Files.writeString(file, "{\"format\":1,\"source\":\"https://u.example/\",\"trust\":[\"/k.pub\"],"
        + "\"rootThreshold\":2}");
    assertThatThrownBy(() -> SourceSettings.read(home)).isInstanceOf(UpdateException.class)
        .hasMessageContaining("the root threshold must be between 0 (no trust root) and the "
            + "number of key files (1), was 2");
    assertThatThrownBy(() -> SourceSettings.of(URI.create("https://u.example/"))
        .withTrustRoot(List.of(Path.of("/k.pub")), 0))
        .hasMessageContaining("a root threshold is at least 1");
  }
}
