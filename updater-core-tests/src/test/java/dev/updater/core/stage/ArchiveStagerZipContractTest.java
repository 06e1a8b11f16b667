package dev.updater.core.stage;

import dev.updater.core.spi.Stager;
import dev.updater.testkit.RawArchives;
import dev.updater.testkit.ReleaseArchives;
import dev.updater.testkit.StagerContract;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code .zip} releases, read by the same stager. */
class ArchiveStagerZipContractTest extends StagerContract {
  @Override
  protected Stager createStager() {
    return ArchiveStager.builder().build();
  }

  @Override
  protected Sample accepted(Path dir) throws Exception {
    return new Sample(Files.write(dir.resolve("app-1.0.0.zip"),
        ReleaseArchives.zip(ArchiveStagerContractTest.TREE)), ArchiveStagerContractTest.TREE);
  }

  @Override
  protected Path rejected(Path dir) throws Exception {
    return RawArchives.zip().file("VERSION", "1.0.0").symlink("link", "/etc")
        .file("link/passwd", "through a link out of the release")
        .writeTo(dir.resolve("evil-1.0.0.zip"));
  }
}
