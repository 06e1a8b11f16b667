package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.MutableClock;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check cache: a recent index answers {@code check()}; {@code check(true)} reads again. */
class CheckCacheTest {
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir
  Path base;

  private TestRepository repo;
  private CountingSource source;
  private final MutableClock clock = MutableClock.at(START);

  @BeforeEach
  void publish() throws IOException {
    repo = new TestRepository(base.resolve("repo"));
    repo.publish(v("1.0.0"));
    source = new CountingSource(repo.source());
  }

  private Updater.Builder builder() {
    return Updaters.builder(base.resolve("home"), source).clock(clock);
  }

  @Test
  void shouldAnswerASecondCheckWithinTheHourFromTheCache() throws IOException {
    Updater updater = builder().build();
    assertThat(updater.check()).map(Release::version).contains(v("1.0.0"));
    repo.publish(v("1.1.0"));
    clock.advance(Duration.ofMinutes(59));

    Optional<Release> second = updater.check();

    assertThat(second).map(Release::version).contains(v("1.0.0"));
    assertThat(source.indexReads).hasValue(1);
  }

  @Test
  void shouldReadTheSourceAgainWhenForced() throws IOException {
    Updater updater = builder().build();
    updater.check();
    repo.publish(v("1.1.0"));

    assertThat(updater.check(true)).map(Release::version).contains(v("1.1.0"));
    assertThat(source.indexReads).hasValue(2);
    assertThat(updater.check()).map(Release::version).contains(v("1.1.0"));
    assertThat(source.indexReads).as("the forced read refreshed the cache").hasValue(2);
  }

  @Test
  void shouldReadTheSourceAgainOnceTheCacheTtlHasPassed() throws IOException {
    Updater updater = builder().checkCacheTtl(Duration.ofMinutes(30)).build();
    updater.check();
    repo.publish(v("1.1.0"));
    clock.advance(Duration.ofMinutes(30));

    assertThat(updater.check()).map(Release::version).contains(v("1.1.0"));
    assertThat(source.indexReads).hasValue(2);
  }

  @Test
  void shouldReadTheSourceOnEveryCheckWhenTheCacheIsOff() {
    Updater updater = builder().checkCacheTtl(Duration.ZERO).build();

    updater.check();
    updater.check();
    updater.report(false);

    assertThat(source.indexReads).hasValue(3);
  }

  @Test
  void shouldNeverCacheAFailure() {
    Updater updater = builder().build();
    source.failNext.set(1);

    assertThatThrownBy(updater::check).isInstanceOfSatisfying(UpdateException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.SOURCE_UNAVAILABLE));
    assertThat(updater.check()).map(Release::version).contains(v("1.0.0"));
    assertThat(source.indexReads).hasValue(2);
  }

  @Test
  void shouldJudgeTheCachedIndexAgainstTheVersionInstalledSince() {
    Updater updater = builder().build();
    updater.install(updater.check().orElseThrow());

    assertThat(updater.check()).isEmpty();
    assertThat(source.indexReads).hasValue(1);
  }

  @Test
  void shouldReadAgainWhenTheCachedIndexExpiredWithinTheTtl() throws IOException {
    repo.writeIndex(5, Optional.of(START.plus(Duration.ofMinutes(10))), UnaryOperator.identity());
    Updater updater = builder().build();
    updater.check();
    clock.advance(Duration.ofMinutes(10));

    assertThatThrownBy(updater::check).isInstanceOfSatisfying(UpdateException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
      assertThat(e.getMessage()).contains("cannot obtain fresh metadata");
    });
    assertThat(source.indexReads).as("the expired cache sent the check to the source").hasValue(2);

    repo.writeIndex(6, Optional.of(START.plus(Duration.ofDays(1))), UnaryOperator.identity());
    assertThat(updater.check()).map(Release::version).contains(v("1.0.0"));
  }

  @Test
  void shouldReadAgainWhenTheClockWentBackwards() {
    Updater updater = builder().build();
    updater.check();
    clock.advance(Duration.ofMinutes(-5));

    updater.check();

    assertThat(source.indexReads).hasValue(2);
  }

  @Test
  void shouldReadAgainWhenAnotherUpdaterTrustedANewerIndexSince() throws IOException {
    Updater first = builder().build();
    first.check();
    repo.publish(v("1.1.0"));
    builder().build().check(); // another process on the same home trusts serial 2

    assertThat(first.check()).map(Release::version).contains(v("1.1.0"));
    assertThat(source.indexReads).hasValue(3);
  }

  @Test
  void shouldAlwaysReadTheSourceToFindAVersion() throws IOException {
    Updater updater = builder().build();
    updater.check();
    repo.publish(v("1.1.0"));

    assertThat(updater.find(v("1.1.0"))).isPresent();
    assertThat(source.indexReads).hasValue(2);
  }
}
