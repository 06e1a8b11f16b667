package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.HealthCheck;
import dev.updater.testkit.InMemoryReleaseSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet table and the fleet-wide halt, on every database. */
abstract class FleetTests {
  static final Version V1 = Version.parse("1.1.0");
  static final Version V2 = Version.parse("1.2.0");

  @TempDir Path dir;
  DataSource db;
  InMemoryReleaseSource source;
  Release first;
  Release second;

  abstract DataSource newDatabase() throws Exception;

  @BeforeEach
  void publish() throws Exception {
    db = newDatabase();
    source = InMemoryReleaseSource.create();
    first = source.publish(V1, Fixtures.archive("1.1.0"));
    second = source.publish(V2, Fixtures.archive("1.2.0"));
  }

  /** A node with its own home on the shared database, running {@code running}. */
  Updater node(String id, Version running, HealthCheck health) {
    Layout layout = Layout.of(dir.resolve(id));
    FleetStatus fleet = FleetStatus.create(db, id);
    return Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(SymlinkActivator.create(layout))
        .listener(fleet.listener())
        .gate(FleetHaltGate.of(fleet, 2, 5))
        .healthCheck(health)
        .runningVersion(running)
        .owner(id)
        .build();
  }

  /** Installs v1 on {@code id} and reports it running, as a node does after its restart. */
  void startOn(String id) throws Exception {
    node(id, V1, HealthCheck.NONE).install(first);
    FleetStatus.create(db, id).recordCheck(node(id, V1, HealthCheck.NONE).status());
  }

  @Test
  void theFleetTableShowsEachNodesVersionAfterARollingUpdateOfThreeNodes() throws Exception {
    List<String> nodes = List.of("node-a", "node-b", "node-c");
    for (String id : nodes) {
      startOn(id);
    }
    assertThat(FleetStatus.create(db, "viewer").nodes())
        .extracting(n -> n.nodeId() + " " + n.running().orElseThrow())
        .containsExactly("node-a 1.1.0", "node-b 1.1.0", "node-c 1.1.0");

    for (String id : nodes) {
      node(id, V1, HealthCheck.NONE).install(second);
      // the restarted process reports what it runs now
      FleetStatus.create(db, id).recordCheck(node(id, V2, HealthCheck.NONE).status());
    }

    List<FleetStatus.Node> rows = FleetStatus.create(db, "viewer").nodes();
    assertThat(rows).extracting(FleetStatus.Node::nodeId).containsExactlyElementsOf(nodes);
    assertThat(rows).allSatisfy(n -> {
      assertThat(n.running()).contains(V2);
      assertThat(n.installed()).contains(V2);
      assertThat(n.target()).contains(V2);
      assertThat(n.lastResult()).contains("COMPLETED");
      assertThat(n.lastError()).isEmpty();
      assertThat(n.lastCheck()).isPresent();
    });
    assertThat(FleetStatus.create(db, "viewer").attempts(V2))
        .extracting(FleetStatus.Attempt::nodeId, FleetStatus.Attempt::result)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("node-a", FleetStatus.Result.COMPLETED),
            org.assertj.core.groups.Tuple.tuple("node-b", FleetStatus.Result.COMPLETED),
            org.assertj.core.groups.Tuple.tuple("node-c", FleetStatus.Result.COMPLETED));
  }

  @Test
  void aReleaseThatFailsOnTheFirstTwoOfFiveNodesIsNotInstalledByTheOtherThree() throws Exception {
    List<String> nodes = List.of("n1", "n2", "n3", "n4", "n5");
    for (String id : nodes) {
      startOn(id);
    }
    HealthCheck badRelease = ctx -> {
      if (ctx.to().equals(V2)) {
        throw new IllegalStateException("/api/health answered 500");
      }
    };
    for (String id : nodes.subList(0, 2)) {
      assertThatThrownBy(() -> node(id, V1, badRelease).install(second))
          .isInstanceOf(UpdateException.class).hasMessageContaining("answered 500");
    }
    int downloads = source.openCount();
    List<UpdateException> refusals = new ArrayList<>();

    for (String id : nodes.subList(2, 5)) {
      assertThatThrownBy(() -> node(id, V1, badRelease).install(second))
          .asInstanceOf(type(UpdateException.class))
          .satisfies(refusals::add);
    }

    assertThat(refusals).hasSize(3).allSatisfy(e -> {
      assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE);
      assertThat(e).hasMessageContaining(
          "halted: 2 of the first 5 nodes that tried 1.2.0 rolled it back");
    });
    assertThat(source.openCount()).as("nothing downloaded after the halt").isEqualTo(downloads);
    for (String id : nodes) {
      assertThat(Files.readSymbolicLink(dir.resolve(id).resolve("current")))
          .hasToString("releases/1.1.0");
    }
    FleetHaltGate gate = FleetHaltGate.of(FleetStatus.create(db, "viewer"), 2, 5);
    assertThat(gate.halted(V2)).hasValueSatisfying(why -> assertThat(why)
        .contains("n1 ROLLED_BACK, n2 ROLLED_BACK"));
    List<FleetStatus.Node> rows = FleetStatus.create(db, "viewer").nodes();
    assertThat(rows.subList(0, 2)).allSatisfy(n -> {
      assertThat(n.lastResult()).contains("ROLLED_BACK");
      assertThat(n.installed()).contains(V1);
      assertThat(n.lastError()).hasValueSatisfying(m -> assertThat(m).contains("answered 500"));
    });
    assertThat(rows.subList(2, 5)).allSatisfy(n -> {
      assertThat(n.lastResult()).contains("REFUSED");
      assertThat(n.lastError()).hasValueSatisfying(m -> assertThat(m).contains("halted: 2 of"));
    });
  }

  @Test
  void oneFailureAmongTheFirstTriesDoesNotHaltTheRelease() throws Exception {
    startOn("n1");
    startOn("n2");
    HealthCheck flaky = ctx -> {
      throw new IllegalStateException("n1 only");
    };
    assertThatThrownBy(() -> node("n1", V1, flaky).install(second))
        .isInstanceOf(UpdateException.class);

    node("n2", V1, HealthCheck.NONE).install(second);

    assertThat(Files.readSymbolicLink(dir.resolve("n2/current"))).hasToString("releases/1.2.0");
    assertThat(FleetHaltGate.of(FleetStatus.create(db, "n3"), 2, 5).halted(V2)).isEmpty();
  }

  @Test
  void failuresAfterTheFirstNodesDoNotHaltAReleaseThatWentWellOnThem() throws Exception {
    for (String id : List.of("n1", "n2", "n3", "n4")) {
      startOn(id);
    }
    node("n1", V1, HealthCheck.NONE).install(second);
    HealthCheck failing = ctx -> {
      throw new IllegalStateException("local problem");
    };
    for (String id : List.of("n2", "n3")) {
      assertThatThrownBy(() -> node(id, V1, failing).install(second))
          .isInstanceOf(UpdateException.class);
    }

    assertThat(FleetHaltGate.of(FleetStatus.create(db, "x"), 2, 2).halted(V2)).isEmpty();
    assertThat(FleetHaltGate.of(FleetStatus.create(db, "x"), 2, 3).halted(V2)).isPresent();
  }

  @Test
  void theGateAndTheStatusRefuseBadArguments() {
    FleetStatus fleet = FleetStatus.create(db, "n1");
    assertThatThrownBy(() -> FleetHaltGate.of(fleet, 0, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FleetHaltGate.of(fleet, 6, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FleetStatus.create(db, " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FleetStatus.builder(db, "n1").table("fleet; drop"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDatabaseThatCannotBeReachedNeverStopsAnUpdateThroughTheListener() throws Exception {
    FleetStatus broken = FleetStatus.create(Fixtures.unreachablePostgres(), "n1");
    broken.listener().onEvent(new dev.updater.core.UpdateEvent.Started(
        dev.updater.core.UpdateEvent.Operation.INSTALL, Optional.of(V1), V2));

    assertThatThrownBy(broken::nodes).isInstanceOf(DatabaseUnavailableException.class);
  }
}
