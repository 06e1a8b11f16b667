package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestHomesTest {

  @Test
  void jimfsHomeIsAnEmptyDirectoryAtHomeApp() throws IOException {
    try (TestHome home = TestHomes.jimfs()) {
      assertThat(home.path().toString()).isEqualTo("/home/app");
      assertThat(Files.isDirectory(home.path())).isTrue();
      try (var entries = Files.list(home.path())) {
        assertThat(entries).isEmpty();
      }
      assertThat(home.layout().current()).isEqualTo(home.path().resolve("current"));
    }
  }

  @Test
  void jimfsHomeKeepsPosixModes() throws IOException {
    try (TestHome home = TestHomes.jimfs()) {
      Path app = Files.writeString(home.path().resolve("app"), "#!/bin/sh\n");
      Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-x---"));

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(app)))
          .isEqualTo("rwxr-x---");
    }
  }

  @Test
  void jimfsHomeSupportsRelativeSymbolicLinks() throws IOException {
    try (TestHome home = TestHomes.jimfs()) {
      Path release = Files.createDirectories(home.layout().releases().resolve("1.0.0"));
      Files.writeString(release.resolve("VERSION"), "1.0.0");
      Files.createSymbolicLink(home.layout().current(),
          home.path().getFileSystem().getPath("releases/1.0.0"));

      assertThat(Files.readString(home.layout().current().resolve("VERSION"))).isEqualTo("1.0.0");
    }
  }

  @Test
  void everyJimfsHomeIsSeparate() throws IOException {
    try (TestHome a = TestHomes.jimfs(); TestHome b = TestHomes.jimfs()) {
      Files.writeString(a.path().resolve("marker"), "a");

      assertThat(Files.exists(b.path().resolve("marker"))).isFalse();
    }
  }

  @Test
  void closingAJimfsHomeClosesItsFileSystem() throws IOException {
    TestHome home = TestHomes.jimfs();
    Path path = home.path();

    home.close();

    assertThatThrownBy(() -> Files.newByteChannel(path.resolve("x")))
        .isInstanceOf(ClosedFileSystemException.class);
  }

  @Test
  void onDiskHomeIsCreatedAndLeftInPlaceOnClose(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("app");

    try (TestHome home = TestHomes.onDisk(dir)) {
      assertThat(Files.isDirectory(home.path())).isTrue();
    }
    assertThat(Files.isDirectory(dir)).isTrue();
  }
}
