package dev.updater.examples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a directory over HTTP on 127.0.0.1, as any static file host would serve an update
 * repository: {@code GET} of a file under the root, with {@code Range: bytes=N-} for resumed
 * downloads; anything else is 404. Thread-safe.
 */
final class RepositoryServer implements AutoCloseable {
  private final Path root;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "repository-http");
    t.setDaemon(true);
    return t;
  });

  private RepositoryServer(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  static RepositoryServer serve(Path root) throws IOException {
    return new RepositoryServer(root);
  }

  /** The base URL, ending with {@code /}. */
  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!exchange.getRequestMethod().equals("GET") || !file.startsWith(root)
          || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file);
      long from = 0;
      String range = exchange.getRequestHeaders().getFirst("Range");
      if (range != null && range.matches("bytes=\\d+-")) {
        from = Long.parseLong(range.substring(6, range.length() - 1));
      }
      if (from > 0 && from < size) {
        exchange.getResponseHeaders().set("Content-Range",
            "bytes " + from + "-" + (size - 1) + "/" + size);
        exchange.sendResponseHeaders(206, size - from);
      } else {
        from = 0;
        exchange.sendResponseHeaders(200, size);
      }
      try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
        in.skipNBytes(from);
        in.transferTo(out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
