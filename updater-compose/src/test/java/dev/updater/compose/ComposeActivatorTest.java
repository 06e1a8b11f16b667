package dev.updater.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.HistoryEntry;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.ReleaseArchives;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compose deployments through the public API, against a stand-in {@code docker} that models
 * Compose (pull from a registry, up with orphans removed, per-container health): a release's
 * images go live, an unhealthy or unpullable release is rolled back to the previous Compose file
 * and containers, and a release with an image not pinned by digest is refused before anything
 * changes.
 */
class ComposeActivatorTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");
  static final Version V3 = Version.parse("1.2.0");
  static final String WEB1 = ComposeStandIn.image("web", "1");
  static final String WORKER1 = ComposeStandIn.image("worker", "1");
  static final String WEB2 = ComposeStandIn.image("web", "2");
  static final String WEB3 = ComposeStandIn.image("web", "3");

  @TempDir Path tmp;
  Path home;
  ComposeStandIn docker;
  InMemoryReleaseSource source;

  @BeforeEach
  void installTheFirstRelease() throws IOException {
    home = tmp.resolve("home");
    docker = ComposeStandIn.create(tmp.resolve("standin"));
    docker.publish(WEB1).publish(WORKER1).publish(WEB2).publish(WEB3);
    source = InMemoryReleaseSource.create();
    Map<String, String> first = new LinkedHashMap<>();
    first.put("web", WEB1);
    first.put("worker", WORKER1);
    updater().install(publish(V1, ComposeStandIn.composeFile(first)));
  }

  private Release publish(Version v, String composeFile) {
    return source.publish(v, ReleaseArchives.builder().file("compose.yaml", composeFile)
        .file("VERSION", v.toString()).tarGz());
  }

  private Updater updater() {
    return Updaters.builder(home, source)
        .activator(ComposeActivator.builder(Layout.of(home)).project("shop")
            .environment(docker.environment()).pollInterval(Duration.ofMillis(20))
            .healthTimeout(Duration.ofSeconds(20)).build())
        .build();
  }

  @Test
  void shouldPullBringUpAndCheckTheNewReleasesContainers() throws IOException {
    docker.mark("slow", WEB2); // reports "starting" once: the activator waits for "healthy"
    Release second = publish(V2, ComposeStandIn.composeFile(Map.of("web", WEB2)));

    UpdateResult result = updater().install(second);

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    assertThat(docker.containers()).isEqualTo(Map.of("web", WEB2)); // worker removed as orphan
    assertThat(home.resolve("compose.yaml")).content().contains(WEB2);
    assertThat(home.resolve("compose.yaml.bak")).content().contains(WEB1, WORKER1);
    List<String> calls = docker.calls();
    assertThat(calls).anyMatch(c -> c.endsWith(" pull"))
        .anyMatch(c -> c.endsWith(" up -d --remove-orphans"))
        .anyMatch(c -> c.contains("--project-name shop"));
    assertThat(calls.stream().filter(c -> c.endsWith("ps --all --format json")).count())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldRestoreThePreviousComposeFileAndContainersWhenAContainerIsUnhealthy()
      throws IOException {
    Updater updater = updater();
    updater.install(publish(V2, ComposeStandIn.composeFile(Map.of("web", WEB2))));
    String before = Files.readString(home.resolve("compose.yaml"));
    docker.mark("unhealthy", WEB3);

    assertThatThrownBy(() -> updater.install(publish(V3, ComposeStandIn.composeFile(
        Map.of("web", WEB3))))).isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.step()).contains(dev.updater.core.Step.ACTIVATE);
          assertThat(e.getMessage()).contains("web running/unhealthy",
              "the previous Compose file and containers were restored");
        });

    assertThat(Files.readString(home.resolve("compose.yaml"))).isEqualTo(before);
    assertThat(docker.containers()).isEqualTo(Map.of("web", WEB2));
    assertThat(updater.status().installed()).contains(V2);
    List<HistoryEntry> history = updater.history();
    assertThat(history.get(history.size() - 1).outcome())
        .isEqualTo(HistoryEntry.Outcome.ROLLED_BACK);
  }

  @Test
  void shouldRestoreThePreviousReleaseWhenAnImageCannotBePulled() throws IOException {
    String missing = ComposeStandIn.image("web", "never-pushed");
    Updater updater = updater();

    assertThatThrownBy(() -> updater.install(publish(V2, ComposeStandIn.composeFile(
        Map.of("web", missing))))).isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.getMessage()).contains("manifest unknown"));

    assertThat(home.resolve("compose.yaml")).content().contains(WEB1, WORKER1);
    assertThat(docker.containers()).isEqualTo(Map.of("web", WEB1, "worker", WORKER1));
    assertThat(updater.status().installed()).contains(V1);
  }

  @Test
  void shouldRefuseAnImageNotPinnedByDigestBeforeAnythingChanges() throws IOException {
    Updater updater = updater();
    int callsBefore = docker.calls().size();
    String compose = Files.readString(home.resolve("compose.yaml"));

    assertThatThrownBy(() -> updater.install(publish(V2,
        "services:\n  web:\n    image: nginx:latest\n")))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.ARCHIVE_REJECTED);
          assertThat(e.getMessage()).contains("'nginx:latest'", "not pinned by digest");
        });

    assertThat(home.resolve("releases/1.1.0")).doesNotExist();
    assertThat(Files.readString(home.resolve("compose.yaml"))).isEqualTo(compose);
    assertThat(docker.calls().subList(callsBefore, docker.calls().size()))
        .allMatch(c -> c.endsWith(" version"));
  }

  @Test
  void shouldRefuseToStartWithoutDockerOnThePathWithNothingChanged() throws IOException {
    Updater noDocker = Updaters.builder(home, source)
        .activator(ComposeActivator.builder(Layout.of(home))
            .environment(Map.of("PATH", tmp.resolve("empty").toString())).build())
        .build();
    Release second = publish(V2, ComposeStandIn.composeFile(Map.of("web", WEB2)));

    assertThatThrownBy(() -> noDocker.install(second)).isInstanceOfSatisfying(
        UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.INVALID_LAYOUT);
          assertThat(e.getMessage()).contains("docker not found on the PATH");
        });
    assertThat(docker.containers()).isEqualTo(Map.of("web", WEB1, "worker", WORKER1));
    assertThat(source.opens()).hasSize(1); // the first release's only
  }

  @Test
  void shouldRefuseBadSettings() {
    Layout layout = Layout.of(home);
    assertThatThrownBy(() -> ComposeActivator.builder(layout).project("My App"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case");
    assertThatThrownBy(() -> ComposeActivator.builder(layout).healthTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("healthTimeout");
    assertThatThrownBy(() -> ComposeActivator.builder(layout).file("../compose.yaml"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain file name");
  }
}
