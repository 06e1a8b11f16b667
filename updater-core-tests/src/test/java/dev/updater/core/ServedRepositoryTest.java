package dev.updater.core;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up that tests of installs over HTTP share: a signed {@link DeltaRepository} in a
 * temporary directory, served by a {@link FaultyHttpServer} on 127.0.0.1 (stopped after each
 * test), and the path of a home that does not exist yet. A subclass's own {@code @BeforeEach}
 * runs after this one's.
 */
abstract class ServedRepositoryTest {
  @TempDir
  Path tmp;

  DeltaRepository repo;
  FaultyHttpServer server;
  Path home;

  @BeforeEach
  void serveRepository() throws IOException {
    repo = new DeltaRepository(tmp.resolve("repo"));
    server = FaultyHttpServer.serve(repo.root);
    home = tmp.resolve("home");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }
}
