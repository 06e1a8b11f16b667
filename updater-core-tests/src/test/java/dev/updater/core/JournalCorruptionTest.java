package dev.updater.core;

import static dev.updater.core.CrashHome.HALTED;
import static dev.updater.core.CrashHome.V1;
import static dev.updater.core.CrashHome.V2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.HistoryEntry.Outcome;
import dev.updater.core.UpdateEvent.Operation;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateStatus.State;
import dev.updater.testkit.crash.ChildExit;
import dev.updater.testkit.crash.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corrupt journal and an unwritable state directory: a journal that cannot be
 * trusted (torn, garbage, a schema from another version of the library) is recovered by keeping
 * {@code current} as it is, never by guessing that the pending release was committed; an update
 * that cannot write its journal does not start.
 *
 * <p>The unfinished updates come from a real crash: a child JVM halted at a fault point. The
 * updates refused a read-only state directory run in a child JVM without the privileges that
 * let root write anyway ({@link Unprivileged}), so that they run as root too (CI runs as root).
 */
class JournalCorruptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private CrashHome fx;
  private Path journal;

  @BeforeEach
  void installTheOldRelease() throws IOException {
    fx = CrashHome.create(tmp);
    fx.updater().install(fx.release(V1));
    Files.writeString(fx.data().resolve("db.txt"), "rows\n");
    journal = fx.layout.state().resolve("journal.json");
  }

  @Test
  void keepsTheOldReleaseWhenTheJournalOfAPendingUpdateIsTruncatedToHalf() throws Exception {
    crashAt("after-publish");
    damageJournal(bytes -> Arrays.copyOf(bytes, bytes.length / 2));

    assertRecoveredWithoutCommitting();
  }

  @Test
  void keepsTheOldReleaseWhenTheJournalOfAPendingUpdateIsGarbage() throws Exception {
    crashAt("after-publish");
    damageJournal(bytes -> "\0\0{\"schema\":1,\"state\":\"COMPL\u00ff\u00fe garbage"
        .getBytes(StandardCharsets.ISO_8859_1));

    assertRecoveredWithoutCommitting();
  }

  @Test
  void keepsTheOldReleaseWhenTheJournalOfAPendingUpdateIsEmpty() throws Exception {
    crashAt("after-publish");
    damageJournal(bytes -> new byte[0]);

    assertRecoveredWithoutCommitting();
  }

  @Test
  void treatsAJournalOfAnUnknownSchemaAsUntrustedAndWritesAFreshOne() throws Exception {
    crashAt("after-publish");
    damageJournal(bytes -> {
      try {
        ObjectNode n = (ObjectNode) JSON.readTree(bytes);
        n.put("schema", 2);
        n.put("addedInSchema2", "something this library does not know");
        return JSON.writeValueAsBytes(n);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });

    assertRecoveredWithoutCommitting();
  }

  @Test
  void keepsCurrentAsItIsWhenTheJournalOfASwitchedUpdateIsCorrupt() throws Exception {
    crashAt("after-swap");
    damageJournal(bytes -> Arrays.copyOf(bytes, bytes.length / 2));

    UpdateStatus status = fx.updater().status();

    // Nothing tells which release was the old one any more: the link is left as the crash left it.
    fx.assertLive(V2);
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.INTERRUPTED);
    assertThat(status.installed()).contains(V2);
    assertJournalIsValid();
    fx.assertNoStagingLeft();
  }

  @Test
  void startsNoUpdateWhenTheStateDirectoryIsReadOnly() throws Exception {
    Path state = fx.layout.state();
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      ChildExit child = Unprivileged.child(ChildJvm.of(UpdateChildMain.class,
          fx.home.toString(), fx.repository.toString(), "install", V2.toString())).run();

      assertThat(child.status()).as(child.output()).isEqualTo(1);
      assertThat(child.output()).contains("FAILED " + Reason.IO_ERROR);
      fx.assertLive(V1);
      assertThat(fx.layout.release(V2)).doesNotExist();
      fx.assertNoStagingLeft();
      assertThat(fx.downloads()).doesNotExist();
    } finally {
      Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertThat(fx.updater().install(fx.release(V2)))
        .isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    fx.assertLive(V2);
  }

  @Test
  void abortsAndKeepsTheOldReleaseWhenTheStateDirectoryBecomesReadOnlyDuringTheUpdate()
      throws Exception {
    Path state = fx.layout.state();
    try {
      ChildExit child = Unprivileged.child(ChildJvm.of(UpdateChildMain.class,
          fx.home.toString(), fx.repository.toString(), "install-making-state-read-only",
          V2.toString())).run();

      assertThat(child.status()).as(child.output()).isEqualTo(1);
      assertThat(child.output()).contains("FAILED " + Reason.IO_ERROR);
      fx.assertLive(V1);
      assertThat(fx.layout.release(V2)).doesNotExist();
    } finally {
      Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    // The journal could not be put back and the lock could not be released: the lock stays the
    // dead process's until it expires, and then the next operation recovers.
    Updater later = UpdateChildMain.builder(fx.home, fx.repository)
        .clock(Clock.offset(Clock.systemUTC(), Updater.Builder.DEFAULT_LOCK_TTL.plusMinutes(1)))
        .build();
    UpdateStatus status = later.status();
    fx.assertLive(V1);
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.INTERRUPTED);
    fx.assertNoStagingLeft();
    assertThat(fx.updater().install(fx.release(V2)))
        .isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    fx.assertLive(V2);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void crashAt(String point) throws Exception {
    ChildExit child = fx.runChild(point, "install", V2.toString());
    assertThat(child.status()).as(child.output()).isEqualTo(HALTED);
  }

  private void damageJournal(UnaryOperator<byte[]> damage) throws IOException {
    Files.write(journal, damage.apply(Files.readAllBytes(journal)));
  }

  /**
   * The old release stays live and nothing claims the pending release: status shows the old
   * release installed and an interrupted operation, a fresh valid journal replaces the damaged
   * one, and a new install of the pending release verifies and publishes it anew.
   */
  private void assertRecoveredWithoutCommitting() throws Exception {
    Updater updater = fx.updater();

    UpdateStatus status = updater.status();

    fx.assertLive(V1);
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.error().orElseThrow().reason()).isEqualTo(Reason.INTERRUPTED);
    assertThat(status.installed()).contains(V1);
    assertThat(status.target()).isNotEqualTo(Optional.of(V2));
    JsonNode fresh = assertJournalIsValid();
    assertThat(fresh.path("to").asText()).isNotEqualTo(V2.toString());
    fx.assertNoStagingLeft();
    assertThat(updater.history()).filteredOn(e -> e.operation() == Operation.RECOVERY)
        .singleElement().satisfies(e -> {
          assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
          assertThat(e.reason()).contains(Reason.INTERRUPTED);
        });
    assertThat(fx.updater().status().state()).as("a second start recovers nothing more")
        .isEqualTo(State.FAILED);
    assertThat(updater.history()).filteredOn(e -> e.operation() == Operation.RECOVERY).hasSize(1);
    assertThat(fx.data().resolve("db.txt")).hasContent("rows\n");

    // The release directory the crash left must not be trusted: a new install replaces it.
    Path leftover = fx.layout.release(V2);
    if (Files.isDirectory(leftover)) {
      Files.writeString(leftover.resolve("PLANTED"), "not from the archive");
    }
    assertThat(updater.install(fx.release(V2)))
        .isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    fx.assertLive(V2);
    assertThat(fx.layout.release(V2).resolve("PLANTED")).doesNotExist();
    assertThat(updater.status().state()).isEqualTo(State.COMPLETE);
  }

  private JsonNode assertJournalIsValid() throws IOException {
    JsonNode n = JSON.readTree(Files.readAllBytes(journal));
    assertThat(n.path("schema").asInt()).isEqualTo(1);
    assertThat(n.path("state").asText()).isIn("IDLE", "COMPLETE");
    return n;
  }
}
