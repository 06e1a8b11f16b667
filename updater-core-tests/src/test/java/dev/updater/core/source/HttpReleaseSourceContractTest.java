package dev.updater.core.source;

import dev.updater.core.FaultyHttpServer;
import dev.updater.core.TestRepository;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.ReleaseSourceContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** An update repository served over HTTP by a real server on 127.0.0.1. */
class HttpReleaseSourceContractTest extends ReleaseSourceContract {
  @TempDir Path dir;
  private FaultyHttpServer server;

  @Override
  protected ReleaseSource createSource(Map<Version, byte[]> releases) throws Exception {
    TestRepository repo = new TestRepository(dir.resolve("repo"));
    for (Map.Entry<Version, byte[]> r : releases.entrySet()) {
      repo.publishArchive(r.getKey(), "app-" + r.getKey() + ".tar.gz", r.getValue(),
          UnaryOperator.identity());
    }
    server = FaultyHttpServer.serve(repo.root);
    return HttpReleaseSource.builder(server.baseUrl()).readTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }
}
