package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.ReleaseGate;
import dev.updater.testkit.MutableClock;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Updater#report(boolean)}: versions, restart, update, compatibility, facts, check time. */
class CheckReportTest {
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir
  Path base;

  private TestRepository repo;
  private CountingSource source;
  private Layout layout;
  private final MutableClock clock = MutableClock.at(START);

  @BeforeEach
  void installFirstRelease() throws IOException {
    repo = new TestRepository(base.resolve("repo"));
    repo.publish(v("1.0.0"));
    source = new CountingSource(repo.source());
    layout = Layout.of(base.resolve("home"));
    Updater first = builder().build();
    first.install(first.check().orElseThrow());
  }

  private Updater.Builder builder() {
    return Updaters.builder(layout.home(), source).clock(clock);
  }

  /** A gate refusing every release but the ones it names, reporting {@code license -> ...}. */
  private static ReleaseGate licenseGate(List<Release> seen, String... allowed) {
    return new ReleaseGate() {
      @Override
      public void check(Release release, Optional<Version> installed)
          throws IncompatibleReleaseException {
        seen.add(release);
        if (!List.of(allowed).contains(release.version().toString())) {
          throw new IncompatibleReleaseException(release.version()
              + " needs the enterprise licence; this install has the community licence");
        }
      }

      @Override
      public Map<String, String> facts() {
        return Map.of("license", "community");
      }
    };
  }

  @Test
  void shouldReportAnInstallThatIsUpToDate() {
    CheckReport r = builder().runningVersion(v("1.0.0")).build().report(false);

    assertThat(r.channel()).isEqualTo("stable");
    assertThat(r.source()).isEqualTo(source.describe());
    assertThat(r.running()).contains(v("1.0.0"));
    assertThat(r.installed()).contains(v("1.0.0"));
    assertThat(r.restartPending()).isFalse();
    assertThat(r.latest()).contains(v("1.0.0"));
    assertThat(r.update()).isEmpty();
    assertThat(r.updateAvailable()).isFalse();
    assertThat(r.compatible()).isTrue();
    assertThat(r.incompatibility()).isEmpty();
    assertThat(r.installable()).isFalse();
    assertThat(r.checkedAt()).isEqualTo(START);
    assertThat(r.cached()).isFalse();
  }

  @Test
  void shouldReportACompatibleUpdateWithTheGatesFacts() throws IOException {
    repo.publish(v("1.1.0"));
    List<Release> seen = new CopyOnWriteArrayList<>();

    CheckReport r = builder().gate(licenseGate(seen, "1.1.0")).build().report(false);

    assertThat(r.latest()).contains(v("1.1.0"));
    assertThat(r.update()).map(Release::version).contains(v("1.1.0"));
    assertThat(r.updateAvailable()).isTrue();
    assertThat(r.compatible()).isTrue();
    assertThat(r.installable()).isTrue();
    assertThat(r.facts()).containsExactly(Map.entry("license", "community"));
    assertThat(seen).extracting(Release::version).containsExactly(v("1.1.0"));
  }

  @Test
  void shouldReportAnIncompatibleUpdateWithoutThrowingDownloadingOrChangingAnything()
      throws IOException {
    repo.publish(v("1.1.0"));
    Updater updater = builder().gate(licenseGate(new CopyOnWriteArrayList<>())).build();
    HomeSnapshot before = HomeSnapshot.of(layout);

    CheckReport r = updater.report(false);

    assertThat(r.updateAvailable()).isTrue();
    assertThat(r.compatible()).isFalse();
    assertThat(r.installable()).isFalse();
    assertThat(r.incompatibility()).hasValueSatisfying(why -> assertThat(why)
        .contains("1.1.0 needs the enterprise licence"));
    assertThat(source.artifactOpens).as("nothing downloaded").hasValue(1);
    assertThat(HomeSnapshot.of(layout)).isEqualTo(before);
    assertThat(updater.status().installed()).contains(v("1.0.0"));
  }

  @Test
  void shouldReportAnUpdateThatCannotBeReachedFromTheInstalledVersion() throws IOException {
    repo.publishArchive(v("2.0.0"), "app-2.0.0.tar.gz", "not read".getBytes(UTF_8),
        r -> TestRepository.withRequirements(r,
            new Requirements(java.util.Set.of(), Optional.of(v("1.5.0")))));

    CheckReport r = builder().build().report(false);

    assertThat(r.update()).map(Release::version).contains(v("2.0.0"));
    assertThat(r.compatible()).isFalse();
    assertThat(r.incompatibility()).hasValueSatisfying(why -> assertThat(why)
        .contains("can only be installed over 1.5.0 or newer"));
  }

  @Test
  void shouldReportAGateThatCannotDecideAsNotCompatible() throws IOException {
    repo.publish(v("1.1.0"));
    ReleaseGate broken = (release, installed) -> {
      throw new IOException("database connection refused");
    };

    CheckReport r = builder().gate(broken).build().report(false);

    assertThat(r.compatible()).isFalse();
    assertThat(r.incompatibility()).hasValueSatisfying(why -> assertThat(why)
        .contains("could not be checked", "database connection refused"));
  }

  @Test
  void shouldNameAGateWhoseFactsFail() {
    ReleaseGate gate = new ReleaseGate() {
      @Override
      public void check(Release release, Optional<Version> installed) {}

      @Override
      public Map<String, String> facts() {
        throw new IllegalStateException("not ready");
      }
    };

    CheckReport r = builder().gate(gate).build().report(false);

    assertThat(r.facts()).hasSize(1);
    assertThat(r.facts().values()).singleElement().asString().contains("not ready");
  }

  @Test
  void shouldReportAPendingRestartWhenTheInstalledReleaseIsNotTheRunningOne() {
    assertThat(builder().runningVersion(v("0.9.0")).build().report(false).restartPending())
        .isTrue();
    assertThat(builder().build().report(false).restartPending())
        .as("running version unknown").isFalse();
  }

  @Test
  void shouldNotOfferAHaltedReleaseAsTheLatest() throws IOException {
    repo.publish(v("1.1.0"));
    repo.writeIndex(10, Optional.empty(),
        r -> r.version().equals(v("1.1.0")) ? r.withRollout(0) : r);

    CheckReport r = builder().build().report(false);

    assertThat(r.latest()).contains(v("1.0.0"));
    assertThat(r.updateAvailable()).isFalse();
  }

  @Test
  void shouldAnswerFromTheCacheAndSaySo() throws IOException {
    Updater updater = builder().build();
    updater.report(false);
    clock.advance(Duration.ofMinutes(20));

    CheckReport cached = updater.report(false);
    CheckReport forced = updater.report(true);

    assertThat(cached.cached()).isTrue();
    assertThat(cached.checkedAt()).isEqualTo(START);
    assertThat(forced.cached()).isFalse();
    assertThat(forced.checkedAt()).isEqualTo(START.plus(Duration.ofMinutes(20)));
  }

  @Test
  void shouldThrowWhenTheIndexFailsVerification() throws IOException {
    Path index = repo.root.resolve("channels/stable.json");
    Files.writeString(index, "{ not json", UTF_8);

    assertThatThrownBy(() -> builder().build().report(true))
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED));
  }
}
