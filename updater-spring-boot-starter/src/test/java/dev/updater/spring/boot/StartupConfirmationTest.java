package dev.updater.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The confirmation at start-up in real Spring Boot applications: 1.0.0 installed 1.1.0 and
 * "ended its process" in its restarter, so 1.1.0 awaits confirmation from its own new process.
 * An application of 1.1.0 that gets ready confirms it; one that fails to start never does, and the
 * next updater after the deadline puts 1.0.0 back.
 */
class StartupConfirmationTest {
  private static final Version V100 = Version.parse("1.0.0");
  private static final Version V110 = Version.parse("1.1.0");
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private SignedRepository repo;
  private Path home;

  /** Thrown by the restarter to stand for the end of the process that installed. */
  static final class ProcessEnded extends Error {
    private static final long serialVersionUID = 1L;
  }

  @BeforeEach
  void installAndRestartInto110() throws IOException {
    repo = new SignedRepository(tmp);
    repo.publish("1.0.0");
    repo.publish("1.1.0");
    home = tmp.resolve("home");
    repo.installInto(home, "1.0.0");
    Updater old = updater(Clock.systemUTC()).runningVersion(V100)
        .restarter(ctx -> {
          throw new ProcessEnded();
        }).build();
    assertThatThrownBy(() -> old.install(old.find(V110).orElseThrow()))
        .isInstanceOf(ProcessEnded.class);
    assertThat(observer().status().state()).isEqualTo(State.AWAITING_CONFIRMATION);
  }

  private Updater.Builder updater(Clock clock) {
    return Updater.builder().home(home)
        .source(DirectoryReleaseSource.of(repo.root, TrustedKeys.parse(repo.publicKey())))
        .freeSpace(0, 0).confirmationTimeout(DEADLINE).clock(clock);
  }

  /** An updater that does not say which version it runs, as an admin tool: it never confirms. */
  private Updater observer() {
    return updater(Clock.systemUTC()).build();
  }

  private ConfigurableApplicationContext start(Class<?> app, String... properties) {
    String[] args = new String[properties.length + 5];
    args[0] = "--updater.home=" + home;
    args[1] = "--updater.source=" + repo.root;
    args[2] = "--updater.trusted-keys=" + repo.publicKeyLine();
    args[3] = "--updater.scheduler-enabled=false";
    args[4] = "--spring.main.banner-mode=off";
    System.arraycopy(properties, 0, args, 5, properties.length);
    return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).run(args);
  }

  @Test
  void anApplicationThatGetsReadyConfirmsTheReleaseItRuns() throws IOException {
    try (ConfigurableApplicationContext context = start(App.class,
        "--updater.running-version=1.1.0")) {
      assertThat(context.isActive()).isTrue();
      UpdateStatus status = observer().status();

      assertThat(status.state()).isEqualTo(State.COMPLETE);
      assertThat(status.installed()).contains(V110);
      assertThat(status.previous()).contains(V100);
      assertThat(Files.readString(home.resolve("current/VERSION"))).isEqualTo("1.1.0");
    }
  }

  @Test
  void anApplicationThatNeverGetsReadyIsRolledBackAtTheDeadline() throws IOException {
    assertThatThrownBy(() -> start(FailingApp.class, "--updater.running-version=1.1.0"))
        .hasMessageContaining("the database is not there");
    assertThat(observer().status().state()).isEqualTo(State.AWAITING_CONFIRMATION);

    Clock afterDeadline = Clock.offset(Clock.systemUTC(), DEADLINE.plusSeconds(1));
    UpdateStatus status = updater(afterDeadline).build().status();

    assertThat(status.installed()).contains(V100);
    assertThat(status.error()).map(UpdateStatus.Failure::reason)
        .contains(UpdateException.Reason.HEALTH_CHECK_FAILED);
    assertThat(Files.readString(home.resolve("current/VERSION"))).isEqualTo("1.0.0");
    assertThat(observer().quarantined()).extracting(q -> q.version()).containsExactly(V110);
  }

  @Test
  void anotherVersionThanTheAwaitedOneDoesNotConfirm() {
    try (ConfigurableApplicationContext context = start(App.class,
        "--updater.running-version=1.0.0")) {
      assertThat(context.isActive()).isTrue();
      assertThat(observer().status().state()).isEqualTo(State.AWAITING_CONFIRMATION);
    }
  }

  @Test
  void confirmsNothingWhenConfirmationOnReadyIsOff() {
    try (ConfigurableApplicationContext context = start(App.class,
        "--updater.running-version=1.1.0", "--updater.confirm-on-ready=false")) {
      assertThat(context.isActive()).isTrue();
      assertThat(observer().status().state()).isEqualTo(State.AWAITING_CONFIRMATION);
    }
  }

  /**
   * A Spring Boot application that embeds the updater through the starter alone (only its
   * auto-configuration, so that each start takes a moment).
   */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(UpdaterAutoConfiguration.class)
  static class App {
    public static void main(String[] args) {
      SpringApplication.run(App.class, args);
    }
  }

  /** An application whose start fails after its beans were made, before it is ready. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(UpdaterAutoConfiguration.class)
  static class FailingApp {
    @Bean
    ApplicationRunner migrate() {
      return args -> {
        throw new IllegalStateException("the database is not there");
      };
    }
  }
}
