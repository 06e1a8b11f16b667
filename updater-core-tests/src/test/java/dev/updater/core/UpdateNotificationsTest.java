package dev.updater.core;

import static dev.updater.core.TestRepository.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.admin.Notification;
import dev.updater.core.admin.Notification.Kind;
import dev.updater.core.admin.UpdateNotifications;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-app notifications made from the pipeline's events of real updates. */
class UpdateNotificationsTest {
  @TempDir Path tmp;

  private TestRepository repo;
  private Path home;
  private Release r110;
  private final List<Notification> inbox = new CopyOnWriteArrayList<>();

  @BeforeEach
  void installOneZeroAndPublishOneOne() throws IOException {
    repo = new TestRepository(tmp.resolve("repo"));
    home = tmp.resolve("home");
    Updater.builder().home(home).source(repo.source()).freeSpace(0, 3).build()
        .install(repo.publish(v("1.0.0")));
    r110 = repo.publish(v("1.1.0"));
  }

  private Updater.Builder builder() {
    return Updater.builder().home(home).source(repo.source()).freeSpace(0, 3)
        .listener(UpdateNotifications.to(inbox::add));
  }

  @Test
  void shouldNotifyTheStartEachPhaseAndTheCompletion() {
    builder().build().install(r110);

    assertThat(inbox).extracting(Notification::kind, Notification::phase).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Kind.STARTED, "checking"),
        org.assertj.core.groups.Tuple.tuple(Kind.PHASE, "downloading"),
        org.assertj.core.groups.Tuple.tuple(Kind.PHASE, "extracting"),
        org.assertj.core.groups.Tuple.tuple(Kind.PHASE, "restarting"),
        org.assertj.core.groups.Tuple.tuple(Kind.COMPLETED, "complete"));
    assertThat(inbox.get(0).message()).isEqualTo("Update to 1.1.0 started (from 1.0.0)");
    assertThat(inbox.get(1).message()).isEqualTo("Update to 1.1.0: downloading");
    assertThat(inbox.get(4).message()).isEqualTo("Update to 1.1.0 completed");
    assertThat(inbox).allSatisfy(n -> {
      assertThat(n.operation()).isEqualTo("install");
      assertThat(n.toVersion()).isEqualTo("1.1.0");
    });
  }

  @Test
  void shouldNotifyAFailureWithItsError() {
    Updater updater = builder().healthCheck(ctx -> {
      throw new IOException("GET /api/health answered 503");
    }).build();

    assertThatThrownBy(() -> updater.install(r110)).isInstanceOf(UpdateException.class);

    Notification rolledBack = inbox.get(inbox.size() - 2);
    Notification failed = inbox.get(inbox.size() - 1);
    assertThat(rolledBack.kind()).isEqualTo(Kind.ROLLED_BACK);
    assertThat(rolledBack.message()).startsWith("Switched back from 1.1.0 to 1.0.0");
    assertThat(failed.kind()).isEqualTo(Kind.FAILED);
    assertThat(failed.phase()).isEqualTo("error");
    assertThat(failed.message()).startsWith("Update to 1.1.0 failed: ")
        .contains("GET /api/health answered 503");
    assertThat(failed.error().reason()).isEqualTo("HEALTH_CHECK_FAILED");
    assertThat(failed.error().step()).isEqualTo("CONFIRM");
  }

  @Test
  void shouldNotifyARollback() {
    Updater updater = builder().build();
    updater.install(r110);
    inbox.clear();

    updater.rollback();

    assertThat(inbox).extracting(Notification::kind).containsExactly(Kind.STARTED, Kind.PHASE,
        Kind.PHASE, Kind.ROLLED_BACK, Kind.COMPLETED);
    assertThat(inbox.get(0).message()).isEqualTo("Rollback to 1.0.0 started (from 1.1.0)");
    assertThat(inbox.get(4).message()).isEqualTo("Rollback to 1.0.0 completed");
  }

  @Test
  void shouldNeverStopAnUpdateWhenTheInboxThrows() {
    Updater updater = Updater.builder().home(home).source(repo.source()).freeSpace(0, 3)
        .listener(UpdateNotifications.to(n -> {
          throw new IllegalStateException("inbox full");
        })).build();

    updater.install(r110);

    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
  }
}
