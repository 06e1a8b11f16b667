package dev.updater.core.source;

import dev.updater.core.FaultyHttpServer;
import dev.updater.core.TestRepository;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.ReleaseSourceContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Two HTTP mirrors of one update repository, each a real server on 127.0.0.1. */
class MirroredReleaseSourceContractTest extends ReleaseSourceContract {
  @TempDir Path dir;
  private final List<FaultyHttpServer> servers = new ArrayList<>();

  @Override
  protected ReleaseSource createSource(Map<Version, byte[]> releases) throws Exception {
    TestRepository repo = new TestRepository(dir.resolve("repo"));
    for (Map.Entry<Version, byte[]> r : releases.entrySet()) {
      repo.publishArchive(r.getKey(), "app-" + r.getKey() + ".tar.gz", r.getValue(),
          UnaryOperator.identity());
    }
    List<ReleaseSource> mirrors = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      FaultyHttpServer server = FaultyHttpServer.serve(repo.root);
      servers.add(server);
      mirrors.add(HttpReleaseSource.builder(server.baseUrl())
          .readTimeout(Duration.ofSeconds(5)).build());
    }
    return MirroredReleaseSource.of(mirrors);
  }

  @AfterEach
  void stopServers() {
    servers.forEach(FaultyHttpServer::close);
  }
}
