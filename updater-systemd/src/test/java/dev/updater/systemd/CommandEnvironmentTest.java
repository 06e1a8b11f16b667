package dev.updater.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandEnvironmentTest {

  @Test
  void defaultsToFiveSecondDetectionAndThirtySecondRestart() {
    CommandEnvironment env = CommandEnvironment.builder().build();

    assertThat(env.detectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(env.restartTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(env.variables()).isEmpty();
  }

  @Test
  void systemCopiesTheJvmEnvironment() {
    assertThat(CommandEnvironment.system().variables()).isEqualTo(System.getenv());
  }

  @Test
  void copiesTheVariablesItIsGiven() {
    Map<String, String> vars = new HashMap<>(Map.of("PATH", "/bin"));
    CommandEnvironment env = CommandEnvironment.builder().variables(vars).build();
    vars.put("PATH", "/evil");

    assertThat(env.variables()).containsExactly(Map.entry("PATH", "/bin"));
  }

  @Test
  void toBuilderKeepsEverySetting() {
    CommandEnvironment env = CommandEnvironment.builder().variable("PATH", "/bin")
        .detectionTimeout(Duration.ofSeconds(1)).restartTimeout(Duration.ofSeconds(2)).build();

    CommandEnvironment copy = env.toBuilder().build();

    assertThat(copy.variables()).isEqualTo(env.variables());
    assertThat(copy.detectionTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(copy.restartTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void rejectsZeroOrNegativeTimeouts() {
    assertThatThrownBy(() -> CommandEnvironment.builder().restartTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("restartTimeout");
    assertThatThrownBy(() -> CommandEnvironment.builder().detectionTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detectionTimeout");
  }

  @Test
  void rejectsNullsAndBadVariableNames() {
    assertThatThrownBy(() -> CommandEnvironment.builder().variable("PATH", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> CommandEnvironment.builder().variable("A=B", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommandEnvironment.builder().variables(null))
        .isInstanceOf(NullPointerException.class);
  }
}
