package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of {@link MaintenanceWindow} and which local times it contains. */
class MaintenanceWindowTest {

  @Test
  void shouldContainItsStartButNotItsEnd() {
    MaintenanceWindow w = MaintenanceWindow.parse("02:00-04:00");

    assertThat(w.contains(LocalTime.of(1, 59))).isFalse();
    assertThat(w.contains(LocalTime.of(2, 0))).isTrue();
    assertThat(w.contains(LocalTime.of(3, 59))).isTrue();
    assertThat(w.contains(LocalTime.of(4, 0))).isFalse();
  }

  @Test
  void shouldCrossMidnight() {
    MaintenanceWindow w = MaintenanceWindow.parse("23:00-01:00");

    assertThat(w.contains(LocalTime.of(22, 59))).isFalse();
    assertThat(w.contains(LocalTime.of(23, 30))).isTrue();
    assertThat(w.contains(LocalTime.MIDNIGHT)).isTrue();
    assertThat(w.contains(LocalTime.of(0, 59))).isTrue();
    assertThat(w.contains(LocalTime.of(1, 0))).isFalse();
    assertThat(w.contains(LocalTime.NOON)).isFalse();
  }

  @Test
  void shouldJudgeAnInstantInTheLocalTimeOfTheZone() {
    MaintenanceWindow w = MaintenanceWindow.parse("02:00-04:00");
    Instant oneUtc = Instant.parse("2026-06-01T01:00:00Z"); // 03:00 in Berlin (summer time)

    assertThat(w.contains(oneUtc, ZoneId.of("UTC"))).isFalse();
    assertThat(w.contains(oneUtc, ZoneId.of("Europe/Berlin"))).isTrue();
  }

  @Test
  void shouldPrintAsItWasWritten() {
    assertThat(MaintenanceWindow.parse(" 02:00 - 04:30 ")).hasToString("02:00-04:30");
  }

  @ParameterizedTest
  @ValueSource(strings = {"02:00", "2-4", "02:00-04:00-05:00", "25:00-04:00", "", "02:00-"})
  void shouldRefuseWhatIsNotTwoTimes(String text) {
    assertThatThrownBy(() -> MaintenanceWindow.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HH:mm-HH:mm");
  }

  @Test
  void shouldRefuseAnEmptyWindow() {
    assertThatThrownBy(() -> MaintenanceWindow.parse("03:00-03:00"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }
}
