package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.Version;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.TelemetrySink.Heartbeat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fakes of the activator, stager, release gate and telemetry sink ports. */
class NewPortFakesTest {
  private static final Version V1 = Version.parse("1.0.0");
  private static final Version V2 = Version.parse("1.1.0");

  @TempDir Path dir;

  @Test
  void activatorKeepsTheLiveVersionAndRecordsEverySwitch() throws Exception {
    InMemoryActivator activator = InMemoryActivator.activeAt(V1);

    activator.activate(V2);
    activator.activate(V1);

    assertThat(activator.active()).contains(V1);
    assertThat(activator.activations()).containsExactly(V2, V1);
  }

  @Test
  void activatorThatFailsToSwitchLeavesTheLiveVersionAlone() throws Exception {
    IOException failure = new IOException("rename failed");
    InMemoryActivator activator = InMemoryActivator.activeAt(V1).failActivateOnCall(1, failure);

    assertThatThrownBy(() -> activator.activate(V2)).isSameAs(failure);
    assertThat(activator.active()).contains(V1);

    activator.activate(V2);
    assertThat(activator.active()).contains(V2);
    assertThat(activator.activations()).containsExactly(V2, V2);
  }

  @Test
  void activatorFailsPreflightPrepareAndDeactivateAtTheToldCall() throws Exception {
    IOException preflight = new IOException("no atomic rename here");
    IOException prepare = new IOException("cannot link data");
    IOException deactivate = new IOException("cannot remove current");
    InMemoryActivator activator = InMemoryActivator.activeAt(V1)
        .failPreflightOnCall(2, preflight).failPrepareOnCall(1, prepare)
        .failDeactivateOnCall(1, deactivate);

    activator.preflight();
    assertThatThrownBy(activator::preflight).isSameAs(preflight);
    assertThatThrownBy(() -> activator.prepare(dir, V2)).isSameAs(prepare);
    assertThatThrownBy(activator::deactivate).isSameAs(deactivate);

    assertThat(activator.active()).contains(V1);
    assertThat(activator.preflightCount()).isEqualTo(2);
    assertThat(activator.preparations())
        .containsExactly(new InMemoryActivator.Preparation(dir, V2));
    assertThat(activator.deactivateCount()).isEqualTo(1);
    activator.deactivate();
    assertThat(activator.active()).isEmpty();
  }

  @Test
  void stagerCopiesTheArtifactIntoTheTargetAndRecordsTheCall() throws Exception {
    Path file = Files.writeString(dir.resolve("app.bin"), "bytes");
    Path target = Files.createDirectory(dir.resolve("target"));
    Artifact artifact = artifact(file);
    RecordingStager stager = RecordingStager.create();

    stager.stage(file, artifact, target);

    assertThat(target.resolve("app.bin")).hasContent("bytes");
    assertThat(stager.calls()).containsExactly(new RecordingStager.Call(file, artifact, target));
  }

  @Test
  void stagerToldToFailWritesNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("app.bin"), "bytes");
    Path target = Files.createDirectory(dir.resolve("target"));
    RejectedArchiveException failure = new RejectedArchiveException("entry escapes");
    RecordingStager stager = RecordingStager.create().failFromCall(1, failure);

    assertThatThrownBy(() -> stager.stage(file, artifact(file), target))
        .isSameAs(failure);

    assertThat(target).isEmptyDirectory();
    assertThat(stager.callCount()).isEqualTo(1);
  }

  @Test
  void gateAdmitsRecordsAndRefusesAtTheToldCall() throws Exception {
    IncompatibleReleaseException refusal = new IncompatibleReleaseException("needs PostgreSQL");
    RecordingGate gate = RecordingGate.create().fact("database", "sqlite").failOnCall(2, refusal);
    Release release = InMemoryReleaseSource.create()
        .publish(V2, ReleaseArchives.tarGz(Map.of("VERSION", "1.1.0")));

    gate.check(release, Optional.of(V1));
    assertThatThrownBy(() -> gate.check(release, Optional.empty())).isSameAs(refusal);

    assertThat(gate.calls()).containsExactly(new RecordingGate.Call(release, Optional.of(V1)),
        new RecordingGate.Call(release, Optional.empty()));
    assertThat(gate.facts()).containsExactly(Map.entry("database", "sqlite"));
  }

  @Test
  void telemetrySinkKeepsEveryHeartbeatAndFailsAtTheToldCall() throws Exception {
    IOException failure = new IOException("collector unreachable");
    RecordingTelemetrySink sink = RecordingTelemetrySink.create().failOnCall(1, failure);
    Heartbeat first = new Heartbeat(Optional.of(V1), Optional.of(V1), true, Optional.empty());
    Heartbeat second = new Heartbeat(Optional.of(V2), Optional.of(V2), false, Optional.of("h2"));

    assertThatThrownBy(() -> sink.send(first)).isSameAs(failure);
    sink.send(second);

    assertThat(sink.heartbeats()).containsExactly(first, second);
    assertThat(sink.callCount()).isEqualTo(2);
  }

  private static Artifact artifact(Path file) throws IOException {
    return new Artifact(file.getFileName().toString(), Files.size(file), Digests.sha256(file),
        "releases/1.0.0/" + file.getFileName());
  }
}
