package dev.updater.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the goals read the secret key: a file or an environment variable, never both. */
class KeysTest {
  @TempDir Path tmp;

  @Test
  void readsTheKeyFromAFileOrFromAVariableHoldingTheSameText() throws Exception {
    SigningKey key = SigningKey.generate();
    key.writeTo(tmp.resolve("updater.key"), tmp.resolve("updater.pub"));
    String text = Files.readString(tmp.resolve("updater.key"));

    assertThat(Keys.load(tmp.resolve("updater.key").toFile(), null, n -> null))
        .hasValueSatisfying(k -> assertThat(k.keyId()).isEqualTo(key.keyId()));
    assertThat(Keys.load(null, "SIGNING_KEY", Map.of("SIGNING_KEY", text)::get))
        .hasValueSatisfying(k -> assertThat(k.keyId()).isEqualTo(key.keyId()));
  }

  @Test
  void noKeyGivenIsNoKey() throws MojoFailureException {
    assertThat(Keys.load(null, null, n -> null)).isEmpty();
    assertThat(Keys.load(null, " ", n -> null)).isEmpty();
  }

  @Test
  void aVariableThatIsNotSetIsNamed() {
    assertThatThrownBy(() -> Keys.load(null, "SIGNING_KEY", n -> null))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("SIGNING_KEY (updater.keyEnv) is not set or empty");
  }

  @Test
  void aFileAndAVariableTogetherAreRefused() throws IOException {
    assertThatThrownBy(() -> Keys.load(tmp.resolve("k").toFile(), "SIGNING_KEY", n -> "x"))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("not both");
  }

  @Test
  void aFileThatIsNotAKeySaysSoWithoutItsContents() throws IOException {
    Path file = Files.writeString(tmp.resolve("updater.key"), "hunter2 is my secret\n");
    assertThatThrownBy(() -> Keys.load(file.toFile(), null, n -> null))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("is not a usable secret key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }
}
