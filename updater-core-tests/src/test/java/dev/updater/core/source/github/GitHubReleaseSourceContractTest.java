package dev.updater.core.source.github;

import dev.updater.core.FaultyHttpServer;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.Digests;
import dev.updater.testkit.ReleaseSourceContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub releases served by a real server on 127.0.0.1 in the shape of the GitHub REST API: one
 * release per version, tagged {@code v<version>}, its archive listed in {@code SHA256SUMS}.
 */
class GitHubReleaseSourceContractTest extends ReleaseSourceContract {
  @TempDir Path root;
  private FaultyHttpServer server;

  @Override
  protected ReleaseSource createSource(Map<Version, byte[]> releases) throws Exception {
    server = FaultyHttpServer.serve(root);
    GitHubFixture github = new GitHubFixture(root, server.baseUrl());
    for (Map.Entry<Version, byte[]> r : releases.entrySet()) {
      String tag = "v" + r.getKey();
      String name = GitHubFixture.archiveName(tag);
      github.release(tag).asset(name, r.getValue())
          .checksums(Digests.sha256(r.getValue()) + "  " + name + "\n");
    }
    github.write();
    return GitHubReleaseSource.builder(GitHubFixture.REPO)
        .apiBase(server.baseUrl())
        .assetName(GitHubFixture.PATTERN)
        .readTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }
}
