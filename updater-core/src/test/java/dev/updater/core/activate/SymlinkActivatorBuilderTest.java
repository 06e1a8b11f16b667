package dev.updater.core.activate;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SymlinkActivatorBuilderTest {
  private final Layout layout = Layout.of(Path.of("/opt/myapp"));

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "/data", "../data", "data/../../etc", "a/..", "data\\x",
      "C:data", ".", "./", "//"})
  void shouldRejectASharedPathThatIsNotASimpleRelativePath(String path) {
    assertThatThrownBy(() -> SymlinkActivator.builder(layout).shared(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shared path");
  }

  @Test
  void shouldRejectANullSharedPath() {
    assertThatThrownBy(() -> SymlinkActivator.builder(layout).shared("data", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRejectASharedPathGivenTwiceEvenWhenSpelledDifferently() {
    assertThatThrownBy(() -> SymlinkActivator.builder(layout).shared("data", "./data/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void shouldRejectOverlappingSharedPaths() {
    assertThatThrownBy(() -> SymlinkActivator.builder(layout).shared("data/x", "data"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlap");
  }

  @Test
  void shouldAcceptSiblingsThatShareAPrefix() {
    SymlinkActivator.builder(layout).shared("data", "database", "config/app.yml", "config/b.yml");
  }

  @Test
  void shouldRejectKeepBelowTwo() {
    assertThatThrownBy(() -> SymlinkActivator.builder(layout).keep(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2");
  }

  @Test
  void shouldRejectANullLayout() {
    assertThatThrownBy(() -> SymlinkActivator.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("layout");
  }

  @Test
  void shouldStoreSharedPathsNormalised() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Layout jimfs = Layout.of(Files.createDirectories(fs.getPath("/opt/myapp")));
      Path staged = Files.createDirectories(jimfs.state().resolve("staging"));
      SymlinkActivator activator =
          SymlinkActivator.builder(jimfs).shared("./config//app.yml/").build();

      activator.prepare(staged, Version.parse("1.0.0"));

      assertThat(Files.isSymbolicLink(staged.resolve("config").resolve("app.yml"))).isTrue();
      assertThat(Files.isDirectory(jimfs.shared().resolve("config").resolve("app.yml"))).isTrue();
    }
  }
}
