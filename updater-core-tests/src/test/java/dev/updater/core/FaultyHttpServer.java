package dev.updater.core;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP (or HTTPS) server on 127.0.0.1 that serves the files of a directory (with {@code
 * Range}, {@code ETag} and {@code If-Range} support) and misbehaves on request: per path, a queue of one-shot {@link Fault}s is served before
 * the file, or one fault answers every request. It counts requests per path and records the
 * request headers it saw.
 *
 * <pre>{@code
 * try (FaultyHttpServer server = FaultyHttpServer.serve(repoDir)) {
 *   server.next("/channels/stable.json", Fault.status(503, "Retry-After", "2"));
 *   HttpReleaseSource.of(server.baseUrl()).index("stable");
 * }
 * }</pre>
 *
 * <p>Thread-safe; test use only.
 */
public final class FaultyHttpServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  /** One way to answer a request for a file holding {@code content} (null when absent). */
  @FunctionalInterface
  public interface Fault {
    void answer(HttpExchange exchange, byte[] content, FaultyHttpServer server)
        throws IOException, InterruptedException;

    /** A status with an empty body and the given header name/value pairs. */
    static Fault status(int code, String... headers) {
      return (ex, content, server) -> {
        for (int i = 0; i + 1 < headers.length; i += 2) {
          ex.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        ex.sendResponseHeaders(code, -1);
      };
    }

    /** The whole file with 200, whatever Range asked. */
    static Fault ignoreRange() {
      return (ex, content, server) -> send(ex, 200, content);
    }

    /** 206 with a Content-Range that starts at 0 whatever Range asked. */
    static Fault wrongContentRange() {
      return (ex, content, server) -> {
        ex.getResponseHeaders().add("Content-Range",
            "bytes 0-" + (content.length - 1) + "/" + content.length);
        send(ex, 206, content);
      };
    }

    /** Headers announcing the whole file, then {@code bytes} of it, then nothing until closed. */
    static Fault stallAfter(int bytes) {
      return (ex, content, server) -> {
        ex.sendResponseHeaders(200, content.length);
        OutputStream out = ex.getResponseBody();
        out.write(content, 0, bytes);
        out.flush();
        server.awaitClose();
      };
    }

    /** The file one byte every {@code intervalMillis}, with its Content-Length. */
    static Fault trickle(long intervalMillis) {
      return (ex, content, server) -> {
        ex.sendResponseHeaders(200, content.length);
        OutputStream out = ex.getResponseBody();
        for (byte b : content) {
          out.write(b);
          out.flush();
          if (server.closing.await(intervalMillis, TimeUnit.MILLISECONDS)) {
            return;
          }
        }
        out.close();
      };
    }

    /**
     * Announces the whole file (with its ETag), sends {@code bytes} of it and drops the
     * connection.
     */
    static Fault cutAfter(int bytes) {
      return (ex, content, server) -> {
        ex.getResponseHeaders().add("ETag", etag(content));
        ex.sendResponseHeaders(200, content.length);
        OutputStream out = ex.getResponseBody();
        out.write(content, 0, bytes);
        out.flush();
        ex.close(); // fewer bytes than Content-Length: the server closes the connection
      };
    }

    /** An endless chunked body (no Content-Length), until the client goes away. */
    static Fault endless() {
      return (ex, content, server) -> {
        ex.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[4096];
        Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = ex.getResponseBody()) {
          while (server.closing.getCount() > 0) {
            out.write(chunk);
          }
        } catch (IOException clientLeft) {
          // expected: the client stops reading and closes the connection
        }
      };
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Path root;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Map<String, Deque<Fault>> once = new ConcurrentHashMap<>();
  private final Map<String, Fault> always = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong bodyBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();
  private final Map<String, List<Map<String, List<String>>>> headersByPath =
      new ConcurrentHashMap<>();
  private volatile String requiredAuthorization;
  private final String scheme;

  private FaultyHttpServer(Path root, SSLContext tls) throws IOException {
    this.root = root;
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(any, 0);
      scheme = "http";
    } else {
      HttpsServer https = HttpsServer.create(any, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
      scheme = "https";
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts serving the files under {@code root}. */
  public static FaultyHttpServer serve(Path root) throws IOException {
    return new FaultyHttpServer(root, null);
  }

  /** Starts serving the files under {@code root} over https, with the key of {@code tls}. */
  public static FaultyHttpServer serveHttps(Path root, SSLContext tls) throws IOException {
    return new FaultyHttpServer(root, tls);
  }

  /** The URL of the served directory, ending in {@code /}. */
  public URI baseUrl() {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /**
   * Answers 401 to every request whose {@code Authorization} header is not {@code value} (403
   * when it is another value), as a private repository does.
   */
  public FaultyHttpServer requireAuthorization(String value) {
    this.requiredAuthorization = value;
    return this;
  }

  /** The headers of the requests for {@code path}, in arrival order. */
  public List<Map<String, List<String>>> requestHeaders(String path) {
    return headersByPath.getOrDefault(path, List.of());
  }

  /** Answers the next request for {@code path} with {@code faults}, one each, then normally. */
  public FaultyHttpServer next(String path, Fault... faults) {
    once.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(faults));
    return this;
  }

  /** Answers every request for {@code path} with {@code fault}. */
  public FaultyHttpServer always(String path, Fault fault) {
    always.put(path, fault);
    return this;
  }

  /** How many requests for {@code path} arrived. */
  public int requests(String path) {
    AtomicInteger n = counts.get(path);
    return n == null ? 0 : n.get();
  }

  /** How many requests arrived for each path asked for so far, sorted by path. */
  public Map<String, Integer> requests() {
    Map<String, Integer> all = new TreeMap<>();
    counts.forEach((path, n) -> all.put(path, n.get()));
    return all;
  }

  /** Forgets the requests counted so far, and the body bytes sent. */
  void resetCounts() {
    counts.clear();
    bodyBytes.set(0);
  }

  /** The bytes of file content sent by the normal answers (not faults) since the last reset. */
  public long bodyBytes() {
    return bodyBytes.get();
  }

  /** The headers of every request, in arrival order. */
  public List<Map<String, List<String>>> requestHeaders() {
    return requestHeaders;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      requestHeaders.add(Map.copyOf(ex.getRequestHeaders()));
      headersByPath.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
          .add(Map.copyOf(ex.getRequestHeaders()));
      String required = requiredAuthorization;
      if (required != null && !required.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"updates\"");
        ex.sendResponseHeaders(
            ex.getRequestHeaders().containsKey("Authorization") ? 403 : 401, -1);
        return;
      }
      byte[] content = read(path);
      Deque<Fault> queued = once.get(path);
      Fault fault = null;
      if (queued != null) {
        synchronized (queued) {
          fault = queued.poll();
        }
      }
      if (fault == null) {
        fault = always.get(path);
      }
      if (fault != null) {
        fault.answer(ex, content, this);
      } else if (content == null) {
        ex.sendResponseHeaders(404, -1);
      } else {
        bodyBytes.addAndGet(serveFile(ex, content));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Serves {@code content} with a strong ETag (a hash of the bytes), honouring a single {@code
   * Range} ({@code bytes=N-} or {@code bytes=N-M}), and {@code If-Range}: a ranged request whose
   * validator is not the current ETag gets the whole file. Returns the body bytes sent.
   */
  private static int serveFile(HttpExchange ex, byte[] content) throws IOException {
    String etag = etag(content);
    ex.getResponseHeaders().add("ETag", etag);
    String range = ex.getRequestHeaders().getFirst("Range");
    String ifRange = ex.getRequestHeaders().getFirst("If-Range");
    Matcher m = range == null ? null : RANGE.matcher(range);
    if (m == null || !m.matches() || (ifRange != null && !ifRange.equals(etag))) {
      send(ex, 200, content);
      return content.length;
    }
    int start = Integer.parseInt(m.group(1));
    int end = m.group(2).isEmpty() ? content.length - 1
        : (int) Math.min(content.length - 1, Long.parseLong(m.group(2)));
    if (start >= content.length || end < start) {
      ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
      ex.sendResponseHeaders(416, -1);
      return 0;
    }
    ex.getResponseHeaders().add("Content-Range",
        "bytes " + start + "-" + end + "/" + content.length);
    send(ex, 206, Arrays.copyOfRange(content, start, end + 1));
    return end + 1 - start;
  }

  /** The strong ETag this server gives {@code content}: a quoted prefix of its SHA-256. */
  public static String etag(byte[] content) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(content);
      return "\"" + java.util.HexFormat.of().formatHex(d, 0, 8) + "\"";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange ex, int code, byte[] body) throws IOException {
    ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private byte[] read(String path) throws IOException {
    Path file = root;
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        file = file.resolve(segment);
      }
    }
    if (!file.normalize().startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    return Files.readAllBytes(file);
  }

  private void awaitClose() throws InterruptedException {
    closing.await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
