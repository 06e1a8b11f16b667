package dev.updater.testkit.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.HistoryEntry;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What must hold after a crash and the next start, as assertions: the install settles on exactly
 * one of the releases it was between, byte for byte; the journal (through {@link
 * Updater#status()}) and the history say the same; nothing is left half staged; and the next
 * install reaches the newest release.
 *
 * <pre>{@code
 * ChildJvm.of(InstallNewest.class, home.toString()).haltAt(point).run().requireHalted();
 * Updater updater = MyApp.updater(home);
 * Version live = CrashChecks.assertSettled(updater, Map.of(V1, v1Tree, V2, v2Tree)).orElseThrow();
 * assertThat(updater.quarantined()).isEmpty();      // a crash is not the release's fault
 * CrashChecks.assertConverges(updater, V2);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class CrashChecks {
  private CrashChecks() {}

  /**
   * Lets {@code updater} recover (through {@link Updater#status()}) and asserts what must hold
   * after any crash:
   * <ul>
   *   <li>no operation is left in progress;
   *   <li>the live release is one of {@code releases}, and {@code current} holds exactly its tree
   *       (or no release is live, and there is no {@code current});
   *   <li>the history agrees with the journal: its last entry (refusals aside) left live the
   *       release that is live ({@code to} of a success, {@code from} of anything else), and a
   *       failed status has no success as its last entry; a release still awaiting its
   *       confirmation across a restart is the one the journal names;
   *   <li>no staging directory and no temporary link of a switch is left.
   * </ul>
   *
   * @param releases the tree of each release the install may be on, as a clean install leaves it
   * @return the live release, or empty when none is
   * @throws AssertionError describing the first thing that does not hold
   */
  public static Optional<Version> assertSettled(Updater updater,
      Map<Version, TreeSnapshot> releases) throws IOException {
    Objects.requireNonNull(updater, "updater");
    Objects.requireNonNull(releases, "releases");
    UpdateStatus status = updater.status();
    Layout layout = updater.layout();
    assertThat(status.state()).as("the state after recovery (%s)", status)
        .isNotEqualTo(UpdateStatus.State.IN_PROGRESS);
    Optional<Version> live = status.installed();
    if (live.isEmpty()) {
      assertThat(Files.exists(layout.current(), LinkOption.NOFOLLOW_LINKS))
          .as("no release is live, so %s must not exist", layout.current()).isFalse();
    } else {
      assertThat(releases).as("the live release %s is one of those expected", live.get())
          .containsKey(live.get());
      assertThat(TreeSnapshot.of(layout.current())).as("the tree of %s, the live release",
          live.get()).isEqualTo(releases.get(live.get()));
    }
    if (status.state() == UpdateStatus.State.AWAITING_CONFIRMATION) {
      assertThat(status.target()).as("the release awaiting confirmation is the live one")
          .isEqualTo(live);
    } else {
      assertHistoryAgrees(updater.history(), status, live);
    }
    assertNothingStaged(layout);
    return live;
  }

  /**
   * Asserts that the next install reaches {@code newest}: {@link Updater#check()} offers a release
   * while {@code newest} is not live, {@link Updater#install} installs it, and {@code newest} is
   * live afterwards. A release a crash left quarantined or hidden fails here.
   *
   * @throws AssertionError naming what was offered, installed and quarantined
   */
  public static void assertConverges(Updater updater, Version newest) {
    Objects.requireNonNull(updater, "updater");
    Objects.requireNonNull(newest, "newest");
    Optional<Release> offered = updater.check(true);
    if (!updater.status().installed().equals(Optional.of(newest))) {
      assertThat(offered.map(Release::version)).as("the check after recovery offers %s "
          + "(installed %s, quarantined %s)", newest, updater.status().installed(),
          updater.quarantined()).contains(newest);
      updater.install(offered.get());
    }
    assertThat(updater.status().installed()).as("the live release after the next install")
        .contains(newest);
    assertThat(updater.check(true)).as("a check once %s is live", newest).isEmpty();
  }

  private static void assertHistoryAgrees(List<HistoryEntry> history, UpdateStatus status,
      Optional<Version> live) {
    Optional<HistoryEntry> last = history.stream()
        .filter(e -> e.outcome() != HistoryEntry.Outcome.REFUSED).reduce((a, b) -> b);
    if (last.isEmpty()) {
      assertThat(live).as("no operation is in the history, so no release is live").isEmpty();
      return;
    }
    HistoryEntry e = last.get();
    Optional<Version> leftLive = e.outcome() == HistoryEntry.Outcome.SUCCEEDED ? e.to() : e.from();
    assertThat(live).as("the live release, as the last history entry left it (%s)", e)
        .isEqualTo(leftLive);
    if (status.state() == UpdateStatus.State.FAILED) {
      assertThat(e.outcome()).as("the last history entry of a failed status (%s)", status)
          .isNotEqualTo(HistoryEntry.Outcome.SUCCEEDED);
    }
  }

  private static void assertNothingStaged(Layout layout) throws IOException {
    Path staging = layout.state().resolve("staging");
    if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> left = Files.newDirectoryStream(staging)) {
        assertThat(left).as("staging directories left in %s", staging).isEmpty();
      }
    }
    try (DirectoryStream<Path> links = Files.newDirectoryStream(layout.home(), ".current.tmp-*")) {
      assertThat(links).as("temporary links of a switch left in %s", layout.home()).isEmpty();
    }
  }
}
