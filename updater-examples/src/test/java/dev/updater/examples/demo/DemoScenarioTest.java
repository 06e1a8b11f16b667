package dev.updater.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.HistoryEntry;
import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus;
import dev.updater.core.UpdateStatus.State;
import dev.updater.core.Version;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo scenario, with real processes (the example application
 * started from {@code current/bin/start} by the demo's supervisor), a signed repository served over
 * HTTP and the application's SQLite database, asserting each outcome from outside the application
 * too: the live version at each step, the automatic rollback of 1.2.0, the rows intact.
 */
class DemoScenarioTest {
  @TempDir Path tmp;

  @Test
  void shouldUpdateTo110ThenRollBackTheBroken120To110WithEveryRowIntact() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    DemoScenario.Outcome o;
    List<Supervisor.Start> starts;
    DemoEnvironment env = DemoEnvironment.create(tmp);
    try (env) {
      o = new DemoScenario(env, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
      starts = env.supervisor().orElseThrow().starts();
    }
    String output = printed.toString(StandardCharsets.UTF_8);

    // 1.0.0 installed, started, one order added to the three its migration created
    assertThat(o.startedVersion()).as(output).isEqualTo("1.0.0");
    assertThat(o.ordersAtStart()).hasSize(4);
    assertThat(o.ordersAtStart().get(0)).doesNotContainKey("priority");

    // approved 1.1.0 through the admin API, followed its phases through the restart
    assertThat(o.availableBeforeUpdate()).isEqualTo("1.1.0");
    assertThat(o.installStatus()).isEqualTo(202);
    assertThat(o.phases()).contains("restarting").last().isEqualTo("complete");
    assertThat(o.updatedVersion()).isEqualTo("1.1.0");
    assertThat(o.updatedState()).isEqualTo("COMPLETE");
    assertThat(o.ordersAfterUpdate()).hasSize(4)
        .allSatisfy(row -> assertThat(row).containsEntry("priority", "normal"));

    // 1.2.0 failed its health check in its own process and 1.1.0 serves again
    assertThat(o.brokenAvailable()).isEqualTo("1.2.0");
    assertThat(o.brokenInstallStatus()).isEqualTo(202);
    assertThat(o.finalVersion()).isEqualTo("1.1.0");
    assertThat(o.finalState()).isEqualTo("FAILED");
    assertThat(o.finalError()).isEqualTo("HEALTH_CHECK_FAILED");
    assertThat(o.ordersAtEnd()).isEqualTo(o.ordersAfterUpdate());
    assertThat(o.starts()).containsExactly("1.0.0", "1.1.0", "1.2.0", "1.1.0");

    // the install on disk agrees
    assertThat(Files.readSymbolicLink(env.layout().current()))
        .isEqualTo(Paths.get("releases", "1.1.0"));
    UpdateStatus status = env.observer().status();
    assertThat(status.installed()).contains(Version.parse("1.1.0"));
    assertThat(status.previous()).contains(Version.parse("1.0.0"));
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    assertThat(status.error().orElseThrow().message()).contains("1.2.0");
    assertThat(env.observer().quarantined()).as("1.2.0 is not offered again")
        .singleElement().satisfies(q -> assertThat(q.version()).isEqualTo(Version.parse("1.2.0")));
    List<String> history = new ArrayList<>();
    for (HistoryEntry h : env.observer().history()) {
      history.add(h.to().map(Version::toString).orElse("-") + " " + h.outcome());
    }
    assertThat(history).containsExactly("1.0.0 " + Outcome.SUCCEEDED, "1.1.0 " + Outcome.SUCCEEDED,
        "1.2.0 " + Outcome.ROLLED_BACK);

    // the rows, read from the database file itself
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + env.database());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, customer, priority FROM orders ORDER BY id")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
      assertThat(rows).containsExactly("1 Ada normal", "2 Grace normal", "3 Linus normal",
          "4 Margaret normal");
    }

    // and no process is left running
    assertThat(starts).allSatisfy(start -> assertThat(ProcessHandle.of(start.pid())
        .map(ProcessHandle::isAlive)).as("process %s of %s", start.pid(), start.version())
        .isNotEqualTo(java.util.Optional.of(true)));
    assertThat(output).contains("rolled back automatically");
  }
}
