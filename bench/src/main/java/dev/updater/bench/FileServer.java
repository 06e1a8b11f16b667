package dev.updater.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A static file server on 127.0.0.1 (the JDK's {@code HttpServer}), run as its own process so that
 * it does not share the measured JVM. It counts the body bytes it sends: {@code GET /__stats}
 * answers {@code <bytes> <requests>}, {@code GET /__reset} sets both to zero.
 *
 * <pre>{@code
 * java -cp ... dev.updater.bench.FileServer <root> <port-file>
 * }</pre>
 *
 * <p>It writes the port it listens on into {@code port-file} once it is ready, and runs until
 * killed.
 */
public final class FileServer {
  private static final int BUFFER = 256 * 1024;
  private static final AtomicLong BYTES = new AtomicLong();
  private static final AtomicLong REQUESTS = new AtomicLong();

  private FileServer() {}

  /** Serves {@code args[0]}; writes the port into {@code args[1]}. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", exchange -> {
      try (exchange) {
        serve(root, exchange);
      }
    });
    server.start();
    Path portFile = Path.of(args[1]);
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.getAddress().getPort()));
    Files.move(tmp, portFile);
  }

  private static void serve(Path root, HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/__stats")) {
      text(exchange, BYTES.get() + " " + REQUESTS.get());
      return;
    }
    if (path.equals("/__reset")) {
      BYTES.set(0);
      REQUESTS.set(0);
      text(exchange, "0 0");
      return;
    }
    REQUESTS.incrementAndGet();
    Path file = root.resolve(path.substring(1)).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      exchange.sendResponseHeaders(404, -1);
      return;
    }
    long size = Files.size(file);
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
    if (size == 0) {
      return;
    }
    byte[] buf = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = exchange.getResponseBody()) {
      int n;
      while ((n = in.read(buf)) != -1) {
        out.write(buf, 0, n);
        BYTES.addAndGet(n);
      }
    }
  }

  private static void text(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
