package dev.updater.core;

import dev.updater.core.source.DirectoryReleaseSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The update mode in {@link Updater.Builder}: default, explicit, and from an environment variable. */
class UpdateModeBuilderTest {
  @TempDir Path tmp;

  private Updater.Builder builder() {
    return Updater.builder().home(tmp.resolve("home"))
        .source(DirectoryReleaseSource.of(tmp.resolve("repo")));
  }

  @Test
  void shouldNotifyByDefault() {
    assertThat(builder().build().mode()).isEqualTo(UpdateMode.NOTIFY);
  }

  @Test
  void shouldTakeTheModeSetInTheBuilder() {
    assertThat(builder().mode(UpdateMode.AUTO).build().mode()).isEqualTo(UpdateMode.AUTO);
  }

  @ParameterizedTest
  @CsvSource({"auto, AUTO", "DISABLED, DISABLED", " Notify , NOTIFY"})
  void shouldTakeTheModeFromTheNamedVariable(String value, UpdateMode expected) {
    Updater updater = builder().mode(UpdateMode.AUTO)
        .modeFromEnv("MYAPP_UPDATE_MODE", Map.of("MYAPP_UPDATE_MODE", value)).build();

    assertThat(updater.mode()).isEqualTo(expected);
  }

  @Test
  void shouldKeepTheBuilderModeWhenTheVariableIsUnsetOrBlank() {
    assertThat(builder().mode(UpdateMode.DISABLED).modeFromEnv("MYAPP_UPDATE_MODE", Map.of())
        .build().mode()).isEqualTo(UpdateMode.DISABLED);
    assertThat(builder().modeFromEnv("MYAPP_UPDATE_MODE", Map.of("MYAPP_UPDATE_MODE", " "))
        .build().mode()).isEqualTo(UpdateMode.NOTIFY);
  }

  @Test
  void shouldFailTheBuildWithAClearErrorForAnInvalidValue() {
    Updater.Builder b = builder()
        .modeFromEnv("MYAPP_UPDATE_MODE", Map.of("MYAPP_UPDATE_MODE", "sometimes"));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("MYAPP_UPDATE_MODE=sometimes")
        .hasMessageContaining("notify, auto or disabled");
  }

  @Test
  void shouldRejectABlankVariableName() {
    assertThatThrownBy(() -> builder().modeFromEnv(" ", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldParseTheConfigNames() {
    for (UpdateMode mode : UpdateMode.values()) {
      assertThat(UpdateMode.parse(mode.configName())).isEqualTo(mode);
    }
    assertThatThrownBy(() -> UpdateMode.parse("manual"))
        .hasMessageContaining("notify, auto, disabled");
  }
}
