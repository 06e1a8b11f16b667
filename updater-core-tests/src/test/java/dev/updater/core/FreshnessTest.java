package dev.updater.core;

import dev.updater.core.source.DirectoryReleaseSource;
import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.MutableClock;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freshness of the channel index on the real disk: a replayed lower serial,
 * the same serial with other content, an expired (frozen) index, an index expiring during an
 * install, and clocks set years off. Refusals leave {@code .updater/trust.json} byte for byte as it
 * was.
 */
class FreshnessTest {
  static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir Path tmp;

  Path home;
  Layout layout;
  TestRepository repo;
  MutableClock clock;

  @BeforeEach
  void publishTwoReleases() throws IOException {
    home = tmp.resolve("home");
    layout = Layout.of(home);
    repo = new TestRepository(tmp.resolve("repo"));
    repo.publish(v("1.0.0"));
    repo.publish(v("1.1.0"));
    clock = MutableClock.at(T0);
  }

  Updater.Builder builder() {
    return Updaters.builder(home, repo.source())
        .clock(clock)
        .checkCacheTtl(Duration.ZERO); // each check reads the index the test serves now
  }

  Path trustFile() {
    return layout.state().resolve("trust.json");
  }

  byte[] trustBytes() throws IOException {
    return Files.readAllBytes(trustFile());
  }

  static Optional<Instant> expiresIn(Duration d) {
    return Optional.of(T0.plus(d));
  }

  UpdateException refusedCheck(Updater updater) {
    return catchThrowableOfType(updater::check, UpdateException.class);
  }

  // ---- serial: replay and changed content -----------------------------------------------------

  @Test
  void shouldRememberTheSerialOfAFreshIndexAtCheck() throws IOException {
    repo.writeIndex(42, expiresIn(Duration.ofDays(7)), UnaryOperator.identity());

    assertThat(builder().build().check()).map(Release::version).contains(v("1.1.0"));

    assertThat(new String(trustBytes(), StandardCharsets.UTF_8))
        .contains("\"stable\"").contains("\"serial\" : 42");
  }

  @Test
  void shouldRefuseAReplayedLowerSerialAfterAHigherOneWasSeenAndKeepTheTrustState()
      throws IOException {
    byte[] old = repo.writeIndex(41, expiresIn(Duration.ofDays(7)), UnaryOperator.identity());
    repo.writeIndex(42, expiresIn(Duration.ofDays(7)), UnaryOperator.identity());
    Updater updater = builder().build();
    updater.check();
    byte[] trusted = trustBytes();
    repo.serveIndexBytes(old);

    UpdateException e = refusedCheck(updater);

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e.getMessage())
        .contains("serial 41, lower than serial 42 this install has already trusted")
        .contains("replay").contains("use another mirror");
    assertThat(trustBytes()).isEqualTo(trusted);
  }

  @Test
  void shouldRefuseTheSameSerialWithOtherContentAndKeepTheTrustState() throws IOException {
    repo.writeIndex(42, expiresIn(Duration.ofDays(7)), UnaryOperator.identity());
    Updater updater = builder().build();
    updater.check();
    byte[] trusted = trustBytes();
    repo.writeIndex(42, expiresIn(Duration.ofDays(7)), r -> r.withRollout(50));

    UpdateException e = refusedCheck(updater);

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e.getMessage()).contains("serial 42, which this install has already trusted with "
        + "other content").contains("publish the change with a higher serial");
    assertThat(trustBytes()).isEqualTo(trusted);
  }

  @Test
  void shouldAcceptAnUnversionedIndexThatChangesAndRememberNothingForIt() throws IOException {
    repo.writeIndex(0, Optional.empty(), UnaryOperator.identity());
    Updater updater = builder().build();
    updater.check();
    repo.publish(v("1.2.0"));
    repo.writeIndex(0, Optional.empty(), UnaryOperator.identity()); // serial 0, other content

    assertThat(updater.check()).map(Release::version).contains(v("1.2.0"));
    assertThat(trustFile()).doesNotExist();
  }

  @Test
  void shouldRefuseAnUnversionedIndexOnceAVersionedOneWasTrusted() throws IOException {
    repo.writeIndex(3, expiresIn(Duration.ofDays(7)), UnaryOperator.identity());
    Updater updater = builder().build();
    updater.check();
    repo.writeIndex(0, Optional.empty(), UnaryOperator.identity());

    assertThat(refusedCheck(updater).getMessage()).contains("serial 0, lower than serial 3");
  }

  @Test
  void shouldAcceptTheSameIndexServedAgainInOtherFormatting() throws IOException {
    byte[] bytes = repo.writeIndex(42, expiresIn(Duration.ofDays(7)), UnaryOperator.identity());
    Updater updater = builder().build();
    updater.check();
    byte[] trusted = trustBytes();
    String reformatted = new String(bytes, StandardCharsets.UTF_8)
        .replace("\"serial\": 42,", "\"mirror\": \"eu-1\",  \"serial\":42,").replace("\n", " ");
    repo.serveIndexBytes(reformatted.getBytes(StandardCharsets.UTF_8));

    assertThat(updater.check()).map(Release::version).contains(v("1.1.0"));
    assertThat(trustBytes()).isEqualTo(trusted);
  }

  @Test
  void shouldRefuseAReplayedIndexInFindToo() throws IOException {
    byte[] old = repo.writeIndex(41, Optional.empty(), UnaryOperator.identity());
    repo.writeIndex(42, Optional.empty(), UnaryOperator.identity());
    Updater updater = builder().build();
    updater.check();
    repo.serveIndexBytes(old);

    UpdateException e = catchThrowableOfType(() -> updater.find(v("1.0.0")),
        UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e.getMessage()).contains("serial 41, lower than serial 42");
  }

  @Test
  void shouldRememberTheSerialAcrossUpdaterInstances() throws IOException {
    byte[] old = repo.writeIndex(41, Optional.empty(), UnaryOperator.identity());
    repo.writeIndex(42, Optional.empty(), UnaryOperator.identity());
    builder().build().check();
    repo.serveIndexBytes(old);

    assertThat(refusedCheck(builder().build()).getMessage()).contains("lower than serial 42");
  }

  // ---- expiry: freeze attack ------------------------------------------------------------------

  @Test
  void shouldRefuseAnExpiredIndexSayingItCannotObtainFreshMetadata() throws IOException {
    repo.writeIndex(42, Optional.of(T0.minusSeconds(1)), UnaryOperator.identity());

    UpdateException e = refusedCheck(builder().build());

    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e.getMessage()).contains("expired at " + T0.minusSeconds(1))
        .contains("before this operation started at " + T0)
        .contains("cannot obtain fresh metadata").contains("check this machine's clock");
    assertThat(trustFile()).doesNotExist();
  }

  @Test
  void shouldNotRememberTheHigherSerialOfAnExpiredIndex() throws IOException {
    repo.writeIndex(42, expiresIn(Duration.ofDays(7)), UnaryOperator.identity());
    Updater updater = builder().build();
    updater.check();
    byte[] trusted = trustBytes();
    repo.writeIndex(50, Optional.of(T0.minusSeconds(1)), UnaryOperator.identity());

    assertThat(refusedCheck(updater).getMessage()).contains("cannot obtain fresh metadata");
    assertThat(trustBytes()).isEqualTo(trusted);
  }

  @Test
  void shouldCompleteAnInstallWhoseIndexExpiresWhileItRuns() throws IOException {
    repo.writeIndex(42, expiresIn(Duration.ofMinutes(5)), UnaryOperator.identity());
    Updater updater = builder()
        .before(Step.DOWNLOAD, ctx -> clock.advance(Duration.ofMinutes(10)))
        .build();
    Release release = updater.check().orElseThrow();

    UpdateResult result = updater.install(release);

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.empty(), v("1.1.0")));
    assertThat(refusedCheck(updater).getMessage()).contains("cannot obtain fresh metadata");
  }

  @Test
  void shouldJudgeExpiryAtTheTimeTheCheckStarted() throws IOException {
    repo.writeIndex(42, expiresIn(Duration.ofMinutes(5)), UnaryOperator.identity());
    // A source that is slow to answer: the clock passes the expiry while the index is read.
    DirectoryReleaseSource directory = repo.source();
    Updater updater = builder().source(new dev.updater.core.spi.ReleaseSource() {
      @Override
      public ReleaseIndex index(String channel) throws IOException {
        clock.advance(Duration.ofMinutes(10));
        return directory.index(channel);
      }

      @Override
      public java.io.InputStream open(Artifact artifact, long offset) throws IOException {
        return directory.open(artifact, offset);
      }
    }).build();

    assertThat(updater.check()).map(Release::version).contains(v("1.1.0"));
  }

  @Test
  void shouldAcceptAnIndexWithoutExpiryUnlessExpiryIsRequired() throws IOException {
    repo.writeIndex(42, Optional.empty(), UnaryOperator.identity());

    assertThat(builder().build().check()).isPresent();
    UpdateException e = refusedCheck(builder().requireExpiry(true).build());
    assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
    assertThat(e.getMessage()).contains("has no expiry").contains("requireExpiry")
        .contains("cannot obtain fresh metadata");
  }

  // ---- clocks years off -----------------------------------------------------------------------

  @Test
  void shouldStillRefuseAReplayWhenTheClockIsTwoYearsBehind() throws IOException {
    // Served a year ago and long expired; a clock two years behind would take it for fresh.
    byte[] old = repo.writeIndex(41, Optional.of(T0.minus(Duration.ofDays(365))),
        UnaryOperator.identity());
    repo.writeIndex(42, expiresIn(Duration.ofDays(7)), UnaryOperator.identity());
    builder().build().check();
    byte[] trusted = trustBytes();
    repo.serveIndexBytes(old);
    clock.advance(Duration.ofDays(-2 * 365));

    UpdateException e = refusedCheck(builder().build());

    assertThat(e.getMessage()).contains("serial 41, lower than serial 42");
    assertThat(trustBytes()).isEqualTo(trusted);
  }

  @Test
  void shouldTreatAFreshIndexAsExpiredWhenTheClockIsTwoYearsAhead() throws IOException {
    repo.writeIndex(42, expiresIn(Duration.ofDays(365)), UnaryOperator.identity());
    clock.advance(Duration.ofDays(2 * 365));

    assertThat(refusedCheck(builder().build()).getMessage())
        .contains("cannot obtain fresh metadata");
  }

  // ---- trust state and downgrades --------------------------------------------------------------

  @Test
  void shouldRefuseAnOlderReleaseWithoutDowngradeWhileTheTrustStateHoldsTheIndex()
      throws IOException {
    repo.writeIndex(42, expiresIn(Duration.ofDays(7)), UnaryOperator.identity());
    Updater updater = builder().build();
    updater.install(updater.check().orElseThrow());
    byte[] trusted = trustBytes();
    Release older = updater.find(v("1.0.0")).orElseThrow();

    UpdateException e = catchThrowableOfType(() -> updater.install(older), UpdateException.class);

    assertThat(e.reason()).isEqualTo(Reason.DOWNGRADE_REFUSED);
    assertThat(trustBytes()).isEqualTo(trusted);
    assertThat(updater.downgrade(older))
        .isEqualTo(new UpdateResult.Updated(Optional.of(v("1.1.0")), v("1.0.0")));
    assertThat(trustBytes()).isEqualTo(trusted);
  }

  @Test
  void shouldRefuseToWorkWithACorruptTrustStateRatherThanForgetIt() throws IOException {
    repo.writeIndex(42, Optional.empty(), UnaryOperator.identity());
    Files.createDirectories(layout.state());
    Files.writeString(trustFile(), "{\"format\": 1, \"channels\": {\"stable\": {\"serial\": \"x\"}}}");

    UpdateException e = refusedCheck(builder().build());

    assertThat(e.reason()).isEqualTo(Reason.IO_ERROR);
    assertThat(e.getMessage()).contains("trust.json is not valid")
        .contains("cannot tell a replayed index from a fresh one");
  }
}
