package dev.updater.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ArchiveStager} on an in-memory Unix file system: the same rules off the default disk. */
class ArchiveStagerJimfsTest {
  @TempDir Path disk;
  FileSystem fs;
  Path target;

  @BeforeEach
  void setUp() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setAttributeViews("basic", "posix").build());
    target = Files.createDirectories(fs.getPath("/opt/app/.updater/staging/1.0.0"));
  }

  @AfterEach
  void tearDown() throws IOException {
    fs.close();
  }

  private Path copyIn(Path archive) throws IOException {
    return Files.copy(archive, fs.getPath("/opt/app/.updater/" + archive.getFileName()));
  }

  @Test
  void shouldStageATarGzOnJimfs() throws IOException {
    Path archive = copyIn(RawArchives.tar()
        .file("bin/app", "#!/bin/sh\n", 04755)
        .file("lib/app.jar", "jar")
        .symlink("bin/lib", "../lib")
        .hardlink("lib/copy.jar", "lib/app.jar")
        .writeTarGz(disk.resolve("app-1.0.0.tar.gz")));

    ArchiveStager.defaults().stage(archive, StagingFixture.artifact(archive), target);

    assertThat(Files.readString(target.resolve("bin/app"))).isEqualTo("#!/bin/sh\n");
    assertThat(Files.getPosixFilePermissions(target.resolve("bin/app")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(Files.readString(target.resolve("bin/lib/app.jar"))).isEqualTo("jar");
    assertThat(Files.readString(target.resolve("lib/copy.jar"))).isEqualTo("jar");
  }

  @Test
  void shouldStageAZipOnJimfs() throws IOException {
    Path archive = copyIn(RawArchives.zip().file("bin/app", "run", 0755)
        .writeTo(disk.resolve("app-1.0.0.zip")));

    ArchiveStager.defaults().stage(archive, StagingFixture.artifact(archive), target);

    assertThat(Files.readString(target.resolve("bin/app"))).isEqualTo("run");
  }

  @Test
  void shouldRejectALinkChainEscapingOnJimfs() throws IOException {
    Path archive = copyIn(RawArchives.tar()
        .dir("d/").symlink("d/up", "..").symlink("d/x", "up/..")
        .writeTarGz(disk.resolve("evil.tar.gz")));

    Throwable thrown = catchThrowable(
        () -> ArchiveStager.defaults().stage(archive, StagingFixture.artifact(archive), target));

    assertThat(thrown).isExactlyInstanceOf(RejectedArchiveException.class)
        .hasMessageContaining("outside the release");
    try (var siblings = Files.list(target.getParent())) {
      assertThat(siblings).containsExactly(target);
    }
  }
}
