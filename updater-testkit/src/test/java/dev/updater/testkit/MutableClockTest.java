package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant T0 = Instant.parse("2030-06-01T12:00:00Z");

  @Test
  void standsStillUntilMoved() throws InterruptedException {
    MutableClock clock = MutableClock.at(T0);
    Thread.sleep(5);

    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.millis()).isEqualTo(T0.toEpochMilli());
  }

  @Test
  void advanceMovesForwardAndReturnsTheNewInstant() {
    MutableClock clock = MutableClock.at(T0);

    Instant later = clock.advance(Duration.ofMinutes(90));

    assertThat(later).isEqualTo(T0.plusSeconds(5400)).isEqualTo(clock.instant());
  }

  @Test
  void canBeSetBackwards() {
    MutableClock clock = MutableClock.at(T0);

    clock.set(T0.minusSeconds(60));

    assertThat(clock.instant()).isEqualTo(T0.minusSeconds(60));
  }

  @Test
  void isInUtcByDefaultAndStartsAtTheDocumentedInstant() {
    MutableClock clock = MutableClock.create();

    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.instant()).isEqualTo(MutableClock.DEFAULT_START);
  }

  @Test
  void aZoneViewMovesWithTheClock() {
    MutableClock clock = MutableClock.at(T0);
    MutableClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advance(Duration.ofHours(1));

    assertThat(paris.instant()).isEqualTo(T0.plusSeconds(3600));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }
}
