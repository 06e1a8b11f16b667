package dev.updater.core.confirm;

import dev.updater.core.internal.WatcherProcess;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The watcher JVM's class path: the host's, read in the release the host was started from. */
class WatcherProcessTest {
  private final Layout layout = Layout.of(Path.of("/opt/myapp"));

  @Test
  void shouldReadEntriesUnderCurrentInTheReleaseTheHostWasStartedFrom() {
    String cp = String.join(File.pathSeparator, "/opt/myapp/current/lib/app.jar",
        "/opt/launcher/updater-core.jar");

    String watcher = WatcherProcess.classpath(layout, Optional.of(Version.parse("1.0.0")), cp,
        Path.of("/"));

    assertThat(watcher).isEqualTo(String.join(File.pathSeparator,
        "/opt/myapp/releases/1.0.0/lib/app.jar", "/opt/launcher/updater-core.jar"));
  }

  @Test
  void shouldMakeRelativeEntriesAbsoluteAgainstTheWorkingDirectory() {
    String watcher = WatcherProcess.classpath(layout, Optional.of(Version.parse("1.0.0")),
        "app.jar" + File.pathSeparator + File.pathSeparator + "../shared/lib.jar",
        Path.of("/opt/myapp/releases/1.0.0"));

    assertThat(watcher).isEqualTo(String.join(File.pathSeparator,
        "/opt/myapp/releases/1.0.0/app.jar", "/opt/myapp/releases/shared/lib.jar"));
  }

  @Test
  void shouldLeaveEntriesUnderCurrentWhenNoReleaseWasLive() {
    String watcher = WatcherProcess.classpath(layout, Optional.empty(),
        "/opt/myapp/current/app.jar", Path.of("/"));

    assertThat(watcher).isEqualTo("/opt/myapp/current/app.jar");
  }
}
