package dev.updater.core.source;

import dev.updater.core.TestRepository;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.ReleaseSourceContract;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;

/** An update repository in a directory, read by {@link DirectoryReleaseSource}. */
class DirectoryReleaseSourceContractTest extends ReleaseSourceContract {
  @TempDir Path dir;

  @Override
  protected ReleaseSource createSource(Map<Version, byte[]> releases) throws Exception {
    TestRepository repo = new TestRepository(dir.resolve("repo"));
    for (Map.Entry<Version, byte[]> r : releases.entrySet()) {
      repo.publishArchive(r.getKey(), "app-" + r.getKey() + ".tar.gz", r.getValue(),
          UnaryOperator.identity());
    }
    return DirectoryReleaseSource.of(repo.root);
  }
}
