package dev.updater.core.stage;

import dev.updater.core.spi.Stager;
import dev.updater.testkit.RawArchives;
import dev.updater.testkit.ReleaseArchives;
import dev.updater.testkit.StagerContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code .tar.gz} releases, the format publishers write by default. */
class ArchiveStagerContractTest extends StagerContract {
  static final Map<String, String> TREE = Map.of("VERSION", "1.0.0", "bin/app", "#!/bin/sh\n",
      "lib/deep/er/data.txt", "x".repeat(5_000));

  @Override
  protected Stager createStager() {
    return ArchiveStager.builder().build();
  }

  @Override
  protected Sample accepted(Path dir) throws Exception {
    return new Sample(Files.write(dir.resolve("app-1.0.0.tar.gz"), ReleaseArchives.tarGz(TREE)),
        TREE);
  }

  @Override
  protected Path rejected(Path dir) throws Exception {
    return RawArchives.tar().file("VERSION", "1.0.0").file("../escaped", "out of the release")
        .writeTarGz(dir.resolve("evil-1.0.0.tar.gz"));
  }
}
