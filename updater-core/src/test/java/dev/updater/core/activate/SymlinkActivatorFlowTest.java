package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.spi.InvalidLayoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link SymlinkActivator}, run on every file system a subclass supplies (the real
 * disk and Jimfs).
 */
abstract class SymlinkActivatorFlowTest {
  static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  Layout layout;
  Path outside;

  /** A fresh, existing, empty directory to serve as the home. */
  abstract Path newHome() throws IOException;

  /** A fresh directory outside the home, on the same file system. */
  abstract Path newOutsideDirectory() throws IOException;

  @BeforeEach
  void setUpLayout() throws IOException {
    layout = Layout.of(newHome());
    outside = newOutsideDirectory();
  }

  // ---- activation ----------------------------------------------------------------------------

  @Test
  void shouldCreateCurrentOnFirstActivation() throws IOException {
    publish("1.0.0");
    SymlinkActivator activator = SymlinkActivator.create(layout);

    activator.activate(v("1.0.0"));

    assertThat(Files.isSymbolicLink(layout.current())).isTrue();
    assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo("1.0.0");
    assertThat(activator.active()).contains(v("1.0.0"));
  }

  @Test
  void shouldSwitchCurrentToTheNewRelease() throws IOException {
    publish("1.0.0");
    publish("1.1.0");
    SymlinkActivator activator = SymlinkActivator.create(layout);
    activator.activate(v("1.0.0"));

    activator.activate(v("1.1.0"));

    assertThat(Files.readString(layout.current().resolve("VERSION"))).isEqualTo("1.1.0");
    assertThat(activator.active()).contains(v("1.1.0"));
  }

  @Test
  void shouldLinkCurrentWithARelativeTarget() throws IOException {
    publish("1.0.0");

    SymlinkActivator.create(layout).activate(v("1.0.0"));

    Path target = Files.readSymbolicLink(layout.current());
    assertThat(target.isAbsolute()).isFalse();
    assertThat(target.toString()).isEqualTo("releases" + sep() + "1.0.0");
  }

  @Test
  void shouldChangeNothingWhenActivatingTheLiveReleaseAgain() throws IOException {
    publish("1.0.0");
    SymlinkActivator activator = SymlinkActivator.builder(layout).keep(2).build();
    activator.activate(v("1.0.0"));
    Object linkBefore = fileKey(layout.current());
    publish("0.1.0");
    publish("0.2.0");
    Map<String, String> before = snapshot(layout.home());

    activator.activate(v("1.0.0"));

    assertThat(fileKey(layout.current())).isEqualTo(linkBefore);
    assertThat(snapshot(layout.home())).isEqualTo(before);
  }

  @Test
  void shouldRefuseToActivateAReleaseThatIsNotPublished() throws IOException {
    publish("1.0.0");
    SymlinkActivator activator = SymlinkActivator.create(layout);
    activator.activate(v("1.0.0"));

    assertThatThrownBy(() -> activator.activate(v("2.0.0")))
        .isInstanceOf(InvalidLayoutException.class)
        .hasMessageContaining("2.0.0");
    assertThat(activator.active()).contains(v("1.0.0"));
  }

  @Test
  void shouldReplaceACurrentLinkThatPointsAtNoReleaseWhenActivating() throws IOException {
    publish("1.0.0");
    Files.createDirectories(layout.home());
    Files.createSymbolicLink(layout.current(), outside);
    SymlinkActivator activator = SymlinkActivator.create(layout);

    activator.activate(v("1.0.0"));

    assertThat(activator.active()).contains(v("1.0.0"));
  }

  @Test
  void shouldRefuseToActivateOverARealCurrentDirectory() throws IOException {
    publish("1.0.0");
    Files.createDirectories(layout.current());
    Files.writeString(layout.current().resolve("app.jar"), "legacy");

    assertThatThrownBy(() -> SymlinkActivator.create(layout).activate(v("1.0.0")))
        .isInstanceOf(InvalidLayoutException.class);
    assertThat(Files.readString(layout.current().resolve("app.jar"))).isEqualTo("legacy");
  }

  @Test
  void shouldCleanTemporaryLinksLeftByAnInterruptedSwitch() throws IOException {
    publish("1.0.0");
    Files.createSymbolicLink(layout.home().resolve(".current.tmp-crashed"),
        layout.home().getFileSystem().getPath("releases", "1.0.0"));

    SymlinkActivator.create(layout).activate(v("1.0.0"));

    assertThat(names(layout.home())).containsExactlyInAnyOrder("current", "releases");
  }

  // ---- active ------------------------------------------------------------------------------

  @Test
  void shouldReportNoActiveReleaseWhenCurrentIsMissing() throws IOException {
    assertThat(SymlinkActivator.create(layout).active()).isEmpty();
  }

  @Test
  void shouldRefuseToReportTheActiveReleaseWhenCurrentIsARealDirectory() throws IOException {
    Files.createDirectories(layout.current());

    assertThatThrownBy(() -> SymlinkActivator.create(layout).active())
        .isInstanceOf(InvalidLayoutException.class);
  }

  @Test
  void shouldRefuseToReportTheActiveReleaseWhenCurrentPointsAtNoVersion() throws IOException {
    Files.createDirectories(layout.releases().resolve("latest"));
    Files.createSymbolicLink(layout.current(),
        layout.home().getFileSystem().getPath("releases", "latest"));

    assertThatThrownBy(() -> SymlinkActivator.create(layout).active())
        .isInstanceOf(InvalidLayoutException.class)
        .hasMessageContaining("releases/<version>");
  }

  // ---- preflight ---------------------------------------------------------------------------

  @Test
  void shouldPassPreflightOnAFirstInstall() throws IOException {
    SymlinkActivator.create(layout).preflight();

    assertThat(names(layout.home())).isEmpty();
  }

  @Test
  void shouldPassPreflightWhenCurrentLinksToARelease() throws IOException {
    publish("1.0.0");
    SymlinkActivator activator = SymlinkActivator.create(layout);
    activator.activate(v("1.0.0"));

    activator.preflight();
  }

  @Test
  void shouldRefuseInPreflightALegacyCurrentDirectoryAndExplainTheMigration() throws IOException {
    Files.createDirectories(layout.current());
    Files.writeString(layout.current().resolve("app.jar"), "legacy");
    Map<String, String> before = snapshot(layout.home());

    assertThatThrownBy(() -> SymlinkActivator.create(layout).preflight())
        .isInstanceOf(InvalidLayoutException.class)
        .hasMessageContaining("real directory")
        .hasMessageContaining("releases/<its version>");
    assertThat(snapshot(layout.home())).isEqualTo(before);
  }

  @Test
  void shouldRefuseInPreflightACurrentLinkToSomethingOtherThanARelease() throws IOException {
    Files.createDirectories(layout.releases());
    Files.createSymbolicLink(layout.current(), outside);
    Map<String, String> before = snapshot(layout.home());

    assertThatThrownBy(() -> SymlinkActivator.create(layout).preflight())
        .isInstanceOf(InvalidLayoutException.class)
        .hasMessageContaining("not at releases/<version>");
    assertThat(snapshot(layout.home())).isEqualTo(before);
  }

  @Test
  void shouldRefuseInPreflightACurrentLinkToAnInvalidVersion() throws IOException {
    Files.createDirectories(layout.releases().resolve("1.0"));
    Files.createSymbolicLink(layout.current(),
        layout.home().getFileSystem().getPath("releases", "1.0"));

    assertThatThrownBy(() -> SymlinkActivator.create(layout).preflight())
        .isInstanceOf(InvalidLayoutException.class);
  }

  @Test
  void shouldLeaveTheHomeAsItWasAfterPreflight() throws IOException {
    publish("1.0.0");
    publish("1.1.0");
    SymlinkActivator activator = SymlinkActivator.builder(layout).shared("data").build();
    activator.activate(v("1.1.0"));
    Files.createDirectories(layout.shared().resolve("data"));
    Files.createDirectories(layout.state());
    Map<String, String> before = snapshot(layout.home());

    activator.preflight();

    assertThat(snapshot(layout.home())).isEqualTo(before);
  }

  // ---- prepare (shared paths) --------------------------------------------------------------

  @Test
  void shouldSeedSharedFromTheCopyShippedInTheFirstRelease() throws IOException {
    Path staged = stage("1.0.0");
    Files.createDirectories(staged.resolve("data"));
    Files.writeString(staged.resolve("data").resolve("defaults.db"), "seed");
    SymlinkActivator activator = SymlinkActivator.builder(layout).shared("data").build();

    activator.prepare(staged, v("1.0.0"));

    assertThat(Files.readString(layout.shared().resolve("data").resolve("defaults.db")))
        .isEqualTo("seed");
    assertThat(Files.isSymbolicLink(staged.resolve("data"))).isTrue();
  }

  @Test
  void shouldReplaceTheShippedCopyWhenSharedAlreadyHasThePath() throws IOException {
    Files.createDirectories(layout.shared().resolve("data"));
    Files.writeString(layout.shared().resolve("data").resolve("orders.db"), "live rows");
    Path staged = stage("2.0.0");
    Files.createDirectories(staged.resolve("data"));
    Files.writeString(staged.resolve("data").resolve("orders.db"), "shipped defaults");
    SymlinkActivator activator = SymlinkActivator.builder(layout).shared("data").build();

    activator.prepare(staged, v("2.0.0"));
    Path published = publishStaged(staged, "2.0.0");

    assertThat(Files.readString(published.resolve("data").resolve("orders.db")))
        .isEqualTo("live rows");
    assertThat(Files.readString(layout.shared().resolve("data").resolve("orders.db")))
        .isEqualTo("live rows");
  }

  @Test
  void shouldCreateAnEmptySharedDirectoryWhenNeitherSideHasThePath() throws IOException {
    Path staged = stage("1.0.0");
    SymlinkActivator activator = SymlinkActivator.builder(layout).shared("logs").build();

    activator.prepare(staged, v("1.0.0"));

    assertThat(Files.isDirectory(layout.shared().resolve("logs"), NOFOLLOW)).isTrue();
    assertThat(names(layout.shared().resolve("logs"))).isEmpty();
    assertThat(Files.isSymbolicLink(staged.resolve("logs"))).isTrue();
  }

  @Test
  void shouldLinkANestedSharedFileRelativeToWhereTheReleaseIsPublished() throws IOException {
    Path staged = stage("1.0.0");
    Files.createDirectories(staged.resolve("config"));
    Files.writeString(staged.resolve("config").resolve("app.yml"), "port: 8080");
    Files.writeString(staged.resolve("config").resolve("defaults.yml"), "shipped");
    SymlinkActivator activator = SymlinkActivator.builder(layout).shared("config/app.yml").build();

    activator.prepare(staged, v("1.0.0"));
    Path published = publishStaged(staged, "1.0.0");

    Path link = published.resolve("config").resolve("app.yml");
    assertThat(Files.readSymbolicLink(link).isAbsolute()).isFalse();
    assertThat(Files.readSymbolicLink(link).toString())
        .isEqualTo(String.join(sep(), "..", "..", "..", "shared", "config", "app.yml"));
    assertThat(link.toRealPath()).isEqualTo(
        layout.shared().resolve("config").resolve("app.yml").toRealPath());
    assertThat(Files.readString(link)).isEqualTo("port: 8080");
    assertThat(Files.readString(published.resolve("config").resolve("defaults.yml")))
        .isEqualTo("shipped");
  }

  @Test
  void shouldChangeNothingWhenPreparingATreeThatIsAlreadyLinked() throws IOException {
    publish("1.0.0");
    SymlinkActivator activator =
        SymlinkActivator.builder(layout).shared("data", "config/app.yml").build();
    Path live = layout.release(v("1.0.0"));
    activator.prepare(live, v("1.0.0"));
    Files.writeString(layout.shared().resolve("data").resolve("rows"), "42");
    Object dataLink = fileKey(live.resolve("data"));
    Map<String, String> before = snapshot(layout.home());

    activator.prepare(live, v("1.0.0"));

    assertThat(snapshot(layout.home())).isEqualTo(before);
    assertThat(fileKey(live.resolve("data"))).isEqualTo(dataLink);
  }

  @Test
  void shouldReplaceALinkPlantedInTheReleaseWithoutTouchingWhatItPointsAt() throws IOException {
    Files.writeString(outside.resolve("precious"), "keep me");
    Path staged = stage("1.0.0");
    Files.createSymbolicLink(staged.resolve("data"), outside);
    SymlinkActivator activator = SymlinkActivator.builder(layout).shared("data").build();

    activator.prepare(staged, v("1.0.0"));
    Path published = publishStaged(staged, "1.0.0");

    assertThat(Files.readString(outside.resolve("precious"))).isEqualTo("keep me");
    assertThat(Files.isDirectory(layout.shared().resolve("data"), NOFOLLOW)).isTrue();
    assertThat(names(layout.shared().resolve("data"))).isEmpty();
    assertThat(published.resolve("data").toRealPath())
        .isEqualTo(layout.shared().resolve("data").toRealPath());
  }

  @Test
  void shouldReplaceAPlantedLinkEvenWhenSharedAlreadyHasThePath() throws IOException {
    Files.writeString(outside.resolve("precious"), "keep me");
    Files.createDirectories(layout.shared().resolve("data"));
    Path staged = stage("1.0.0");
    Files.createSymbolicLink(staged.resolve("data"), outside);

    SymlinkActivator.builder(layout).shared("data").build().prepare(staged, v("1.0.0"));

    assertThat(names(outside)).containsExactly("precious");
    assertThat(Files.readSymbolicLink(staged.resolve("data")).isAbsolute()).isFalse();
  }

  @Test
  void shouldRefuseALinkPlantedWhereASharedPathNeedsADirectory() throws IOException {
    Path staged = stage("1.0.0");
    Files.createSymbolicLink(staged.resolve("config"), outside);
    SymlinkActivator activator = SymlinkActivator.builder(layout).shared("config/app.yml").build();

    assertThatThrownBy(() -> activator.prepare(staged, v("1.0.0")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("needs a directory");
    assertThat(names(outside)).isEmpty();
  }

  // ---- retention ---------------------------------------------------------------------------

  @Test
  void shouldKeepTheNewestReleasesAfterASwitch() throws IOException {
    for (String s : new String[] {"1.0.0", "1.1.0", "1.2.0", "1.3.0"}) {
      publish(s);
    }
    SymlinkActivator activator = SymlinkActivator.builder(layout).keep(3).build();
    activator.activate(v("1.2.0"));

    activator.activate(v("1.3.0"));

    assertThat(names(layout.releases())).containsExactlyInAnyOrder("1.1.0", "1.2.0", "1.3.0");
  }

  @Test
  void shouldKeepTheLiveAndThePreviousReleaseWithKeepTwoEvenWhenTheyAreTheOldest()
      throws IOException {
    publish("1.1.0");
    SymlinkActivator activator = SymlinkActivator.builder(layout).keep(2).build();
    activator.activate(v("1.1.0"));
    for (String s : new String[] {"1.0.0", "2.0.0", "3.0.0"}) {
      publish(s);
    }

    activator.activate(v("1.0.0")); // a rollback to the oldest

    assertThat(names(layout.releases())).containsExactlyInAnyOrder("1.0.0", "1.1.0");
  }

  @Test
  void shouldFillTheRemainingPlacesWithTheNewestReleasesWithKeepThree() throws IOException {
    publish("1.1.0");
    SymlinkActivator activator = SymlinkActivator.builder(layout).keep(3).build();
    activator.activate(v("1.1.0"));
    for (String s : new String[] {"1.0.0", "2.0.0-rc.1", "2.0.0", "1.9.0"}) {
      publish(s);
    }

    activator.activate(v("1.0.0"));

    assertThat(names(layout.releases())).containsExactlyInAnyOrder("1.0.0", "1.1.0", "2.0.0");
  }

  @Test
  void shouldLeaveEntriesThatAreNotReleasesWhenPruning() throws IOException {
    for (String s : new String[] {"1.0.0", "1.1.0", "1.2.0"}) {
      publish(s);
    }
    Files.createDirectories(layout.releases().resolve("1.3.0.staging-abc"));
    Files.createDirectories(layout.releases().resolve("notes"));
    Files.writeString(layout.releases().resolve("0.9.0"), "a file, not a release");
    SymlinkActivator activator = SymlinkActivator.builder(layout).keep(2).build();
    activator.activate(v("1.1.0"));

    activator.activate(v("1.2.0"));

    assertThat(names(layout.releases())).containsExactlyInAnyOrder(
        "1.1.0", "1.2.0", "1.3.0.staging-abc", "notes", "0.9.0");
  }

  // ---- deactivate --------------------------------------------------------------------------

  @Test
  void shouldRemoveCurrentWhenDeactivating() throws IOException {
    publish("1.0.0");
    SymlinkActivator activator = SymlinkActivator.create(layout);
    activator.activate(v("1.0.0"));

    activator.deactivate();

    assertThat(Files.exists(layout.current(), NOFOLLOW)).isFalse();
    assertThat(activator.active()).isEmpty();
    assertThat(Files.readString(layout.release(v("1.0.0")).resolve("VERSION"))).isEqualTo("1.0.0");
  }

  @Test
  void shouldDoNothingWhenDeactivatingWithNoLiveRelease() throws IOException {
    SymlinkActivator activator = SymlinkActivator.create(layout);

    activator.deactivate();

    assertThat(activator.active()).isEmpty();
  }

  @Test
  void shouldRefuseToDeactivateARealCurrentDirectory() throws IOException {
    Files.createDirectories(layout.current());

    assertThatThrownBy(() -> SymlinkActivator.create(layout).deactivate())
        .isInstanceOf(InvalidLayoutException.class);
    assertThat(Files.isDirectory(layout.current(), NOFOLLOW)).isTrue();
  }

  // ---- helpers -----------------------------------------------------------------------------

  static Version v(String s) {
    return Version.parse(s);
  }

  String sep() {
    return layout.home().getFileSystem().getSeparator();
  }

  /** Publishes {@code releases/<version>/VERSION}. */
  Path publish(String version) throws IOException {
    Path dir = layout.releases().resolve(version);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("VERSION"), version);
    return dir;
  }

  /** A staged tree one level deeper than releases/, as the pipeline stages. */
  Path stage(String version) throws IOException {
    Path dir = layout.state().resolve("staging").resolve(version);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("VERSION"), version);
    return dir;
  }

  Path publishStaged(Path staged, String version) throws IOException {
    Path target = layout.release(v(version));
    Files.createDirectories(target.getParent());
    return Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
  }

  static Object fileKey(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW).fileKey();
  }

  static java.util.List<String> names(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return java.util.List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Every entry under {@code root}, links not followed: kind, link target or file content. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(root)) {
      return out;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String key = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(key, "link -> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, NOFOLLOW)) {
          out.put(key, "dir");
        } else {
          out.put(key, "file " + new String(Files.readAllBytes(p), UTF_8));
        }
      }
    }
    return out;
  }
}
