package dev.updater.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateMode;
import dev.updater.core.UpdateScheduler;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.admin.AdminStatus;
import dev.updater.core.admin.UpdateAdmin;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configuration in application contexts of its own: what it makes from the properties,
 * what it refuses (with the property named), and the application's beans winning.
 */
class UpdaterAutoConfigurationTest {
  @TempDir Path tmp;

  private SignedRepository repo;
  private Path home;
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(UpdaterAutoConfiguration.class,
          UpdaterActuatorAutoConfiguration.class));

  @BeforeEach
  void publish() throws IOException {
    repo = new SignedRepository(tmp);
    repo.publish("1.0.0");
    home = tmp.resolve("home");
  }

  private ApplicationContextRunner configured() {
    return runner.withPropertyValues("updater.home=" + home, "updater.source=" + repo.root,
        "updater.trusted-keys=" + repo.publicKeyLine(),
        "updater.running-version=0.9.0", "updater.check-cache-ttl=0s");
  }

  @Test
  void makesNothingWithoutAHome() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(Updater.class);
      assertThat(context).doesNotHaveBean(UpdateScheduler.class);
      assertThat(context).doesNotHaveBean(UpdateAdmin.class);
      assertThat(context).doesNotHaveBean(UpdatesEndpoint.class);
      assertThat(context).doesNotHaveBean(UpdaterHealthIndicator.class);
    });
  }

  @Test
  void makesTheUpdaterSchedulerAndAdminFromTheProperties() {
    configured().withPropertyValues("updater.mode=auto", "updater.channel=stable",
        "updater.application=demo", "updater.maintenance-window=02:00-04:00",
        "updater.shared=data,config").run(context -> {
          assertThat(context).hasSingleBean(Updater.class);
          assertThat(context).hasSingleBean(UpdateScheduler.class);
          assertThat(context).hasSingleBean(UpdateAdmin.class);
          assertThat(context).hasSingleBean(UpdaterHealthIndicator.class);
          Updater updater = context.getBean(Updater.class);
          assertThat(updater.mode()).isEqualTo(UpdateMode.AUTO);
          assertThat(updater.layout().home()).isEqualTo(home);
          // The source is the signed repository, verified with the configured key.
          assertThat(updater.check(true)).map(Release::version)
              .contains(Version.parse("1.0.0"));
          assertThat(updater.status().running()).contains(Version.parse("0.9.0"));
        });
  }

  @Test
  void readsTrustedKeysFromFiles() throws IOException {
    Path pub = Files.writeString(tmp.resolve("updates.pub"), repo.publicKey());
    runner.withPropertyValues("updater.home=" + home, "updater.source=" + repo.root,
        "updater.trusted-key-files=" + pub).run(context ->
            assertThat(context.getBean(Updater.class).check(true)).isPresent());
  }

  @Test
  void refusesARepositorySignedByAnotherKey() {
    String[] lines = SigningKey.generate().publicKeyText().strip().split("\n");
    String other = lines[lines.length - 1];
    runner.withPropertyValues("updater.home=" + home, "updater.source=" + repo.root,
        "updater.trusted-keys=" + other).run(context ->
            assertThatThrownBy(() -> context.getBean(Updater.class).check(true))
                .isInstanceOfSatisfying(UpdateException.class, e -> assertThat(e.reason())
                    .isEqualTo(UpdateException.Reason.VERIFICATION_FAILED)));
  }

  @Test
  void failsAtStartUpNamingAMissingSource() {
    runner.withPropertyValues("updater.home=" + home).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("updater.source is not set");
    });
  }

  @Test
  void failsAtStartUpNamingAMissingKey() {
    runner.withPropertyValues("updater.home=" + home, "updater.source=" + repo.root)
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("no trusted key is configured")
            .hasMessageContaining("updater.trusted-key-files"));
  }

  @Test
  void failsAtStartUpNamingAnUnreadableKeyFile() {
    configured().withPropertyValues("updater.trusted-key-files=" + tmp.resolve("missing.pub"))
        .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
            "updater.trusted-key-files[0]=" + tmp.resolve("missing.pub") + " is not valid"));
  }

  @Test
  void failsAtStartUpNamingAnInvalidValue() {
    configured().withPropertyValues("updater.maintenance-window=2am to 4am").run(context ->
        assertThat(context.getStartupFailure())
            .hasStackTraceContaining("updater.maintenance-window=2am to 4am is not valid"));
    configured().withPropertyValues("updater.running-version=latest").run(context ->
        assertThat(context.getStartupFailure())
            .hasStackTraceContaining("updater.running-version=latest is not valid"));
    configured().withPropertyValues("updater.shared=../etc").run(context ->
        assertThat(context.getStartupFailure())
            .hasStackTraceContaining("updater.shared=[../etc] is not valid"));
  }

  @Test
  void leavesTheHomeUntouchedWhenTheConfigurationIsRefused() {
    configured().withPropertyValues("updater.maintenance-window=25:00-26:00").run(context ->
        assertThat(context).hasFailed());
    assertThat(home).doesNotExist();
  }

  @Test
  void makesNothingWhenDisabled() {
    configured().withPropertyValues("updater.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(Updater.class).doesNotHaveBean(UpdateAdmin.class));
  }

  @Test
  void makesNoSchedulerWhenItIsSwitchedOff() {
    configured().withPropertyValues("updater.scheduler-enabled=false").run(context -> {
      assertThat(context).hasSingleBean(Updater.class).hasSingleBean(UpdateAdmin.class);
      assertThat(context).doesNotHaveBean(UpdateScheduler.class);
    });
  }

  @Test
  void theApplicationsUpdaterWins() {
    configured().withUserConfiguration(OwnUpdater.class).run(context -> {
      assertThat(context).hasSingleBean(Updater.class);
      assertThat(context.getBean(Updater.class)).isSameAs(OwnUpdater.built);
      assertThat(context.getBean(UpdateAdmin.class).updater()).isSameAs(OwnUpdater.built);
    });
  }

  @Test
  void theApplicationsAdminAndSchedulerWin() {
    configured().withUserConfiguration(OwnAdminAndScheduler.class).run(context -> {
      assertThat(context.getBean(UpdateAdmin.class)).isSameAs(OwnAdminAndScheduler.admin);
      assertThat(context.getBean(UpdateScheduler.class)).isSameAs(OwnAdminAndScheduler.scheduler);
    });
  }

  @Test
  void aReleaseSourceBeanWinsOverTheSourceProperty() {
    runner.withPropertyValues("updater.home=" + home)
        .withBean(ReleaseSource.class, () -> DirectoryReleaseSource.of(repo.root,
            TrustedKeys.parse(repo.publicKey())))
        .run(context -> assertThat(context.getBean(Updater.class).check(true)).isPresent());
  }

  @Test
  void customizersAdjustTheBuilder() {
    AtomicInteger calls = new AtomicInteger();
    configured().withBean(UpdaterBuilderCustomizer.class, () -> builder -> {
      calls.incrementAndGet();
      builder.runningVersion(Version.parse("0.9.5"));
    }).run(context -> {
      assertThat(calls).hasValue(1);
      assertThat(context.getBean(Updater.class).status().running())
          .contains(Version.parse("0.9.5"));
    });
  }

  @Test
  void theEndpointChecksWithTheSchedulerSoThatNotifyModePreDownloads() {
    configured().withPropertyValues("management.endpoints.web.exposure.include=updates")
        .run(context -> {
          UpdatesEndpoint endpoint = context.getBean(UpdatesEndpoint.class);
          WebEndpointResponse<Object> response = endpoint.operate("check", null, null);
          assertThat(response.getStatus()).isEqualTo(200);
          AdminStatus status = (AdminStatus) response.getBody();
          assertThat(status.latestVersion()).isEqualTo("1.0.0");
          assertThat(status.awaitingApproval()).isTrue();
          assertThat(context.getBean(UpdateScheduler.class).awaitingApproval()).isPresent();
        });
  }

  @Test
  void theEndpointAnswersUnknownOperationsWith404() {
    configured().withPropertyValues("management.endpoints.web.exposure.include=updates")
        .run(context -> {
          UpdatesEndpoint endpoint = context.getBean(UpdatesEndpoint.class);
          assertThat(endpoint.operate("reboot", null, null).getStatus()).isEqualTo(404);
          assertThat(endpoint.read("history").getStatus()).isEqualTo(404);
          assertThat(endpoint.operate("unquarantine", null, null).getStatus()).isEqualTo(400);
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnUpdater {
    static Updater built;

    @Bean
    Updater myUpdater() throws IOException {
      Path own = Files.createTempDirectory("own-home");
      built = Updater.builder().home(own)
          .source(DirectoryReleaseSource.of(own.resolve("repository"))).build();
      return built;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnAdminAndScheduler {
    static UpdateAdmin admin;
    static UpdateScheduler scheduler;

    @Bean
    UpdateAdmin myAdmin(Updater updater) {
      admin = UpdateAdmin.of(updater);
      return admin;
    }

    @Bean
    UpdateScheduler myScheduler(Updater updater) {
      scheduler = UpdateScheduler.builder(updater).build();
      return scheduler;
    }
  }
}
