package dev.updater.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The health indicator over real installs on the disk, in each state it tells apart. */
class UpdaterHealthIndicatorTest {
  @TempDir Path tmp;

  private SignedRepository repo;
  private Path home;

  @BeforeEach
  void publish() throws IOException {
    repo = new SignedRepository(tmp);
    repo.publish("1.0.0");
    repo.publish("1.1.0");
    home = tmp.resolve("home");
  }

  private Updater.Builder updater(String running) {
    return Updater.builder().home(home)
        .source(DirectoryReleaseSource.of(repo.root, TrustedKeys.parse(repo.publicKey())))
        .freeSpace(0, 0).runningVersion(Version.parse(running));
  }

  private Health health(String running) {
    return new UpdaterHealthIndicator(updater(running).build()).health();
  }

  @Test
  void isUnknownWhileNothingIsInstalled() {
    assertThat(health("1.0.0").getStatus()).isEqualTo(Status.UNKNOWN);
  }

  @Test
  void isUpWhenTheApplicationRunsTheLiveRelease() {
    repo.installInto(home, "1.0.0");

    Health health = health("1.0.0");

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("liveVersion", "1.0.0")
        .containsEntry("runningVersion", "1.0.0").containsEntry("operatorNeeded", false);
  }

  @Test
  void isOutOfServiceWhenAnotherReleaseIsLive() {
    repo.installInto(home, "1.1.0");

    Health health = health("1.0.0");

    assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(health.getDetails()).containsEntry("liveVersion", "1.1.0");
  }

  @Test
  void staysUpAfterAFailedUpdateThatPutThePreviousReleaseBack() {
    repo.installInto(home, "1.0.0");
    Updater failing = updater("1.0.0").healthCheck(ctx -> {
      throw new IllegalStateException("no answer on /health");
    }).build();
    assertThatThrownBy(() -> failing.install(failing.find(Version.parse("1.1.0")).orElseThrow()))
        .isInstanceOf(UpdateException.class);

    Health health = health("1.0.0");

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("liveVersion", "1.0.0")
        .containsEntry("operatorNeeded", false);
    assertThat(String.valueOf(health.getDetails().get("error")))
        .startsWith("HEALTH_CHECK_FAILED").contains("no answer on /health");
  }

  @Test
  void isDownWhenTheInstallsStateCannotBeRead() throws IOException {
    repo.installInto(home, "1.0.0");
    Path journal = home.resolve(".updater/journal.json");
    Files.delete(journal);
    Files.createDirectory(journal);

    Health health = health("1.0.0");

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("operatorNeeded", true);
  }
}
