package dev.updater.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the files of an update repository over HTTP with the JDK's {@link HttpServer}, for
 * trials, demos and benchmarks: GET and HEAD only, a single {@code Range} (so interrupted
 * downloads resume), no directory listings, and nothing outside the repository (a path with a
 * {@code ..} or {@code .} segment, encoded or not, an encoded slash, a backslash or a NUL is
 * refused with 400; a symbolic link that leads out of the repository is not followed). Files under
 * {@code channels/} are sent with {@code Cache-Control: no-cache}, since a channel index changes in
 * place. This is what {@code updater serve} runs; in production, use a real web server with TLS.
 *
 * <pre>{@code
 * try (RepositoryServer server = RepositoryServer.start(repo)) {   // 127.0.0.1, a free port
 *   Updater updater = Updater.builder().home(home)
 *       .source(HttpReleaseSource.of(server.url())).build();
 *   ...
 * }
 * }</pre>
 *
 * <p>Each response is written as soon as it is ready. For small responses not to wait for a
 * delayed acknowledgement of the headers (40 ms on Linux), start the JVM with {@code
 * -Dsun.net.httpserver.nodelay=true}, which makes the JDK's server set {@code TCP_NODELAY} as
 * web servers do. Thread-safe: requests are served by up to 8 threads at once.
 */
public final class RepositoryServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  /** The bytes of a file to send: {@code start} to {@code end} inclusive, with this status. */
  private record Span(long start, long end, int code) {
    long length() {
      return end - start + 1;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path root;
  private final PrintStream log;
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  private RepositoryServer(HttpServer server, ExecutorService executor, Path root,
      PrintStream log) {
    this.server = server;
    this.executor = executor;
    this.root = root;
    this.log = log;
  }

  /**
   * Starts serving {@code repository} on the loopback address (127.0.0.1) and a free port, with no
   * request log.
   *
   * @throws IOException when the directory does not exist or no port can be bound
   */
  public static RepositoryServer start(Path repository) throws IOException {
    return start(repository, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        new PrintStream(OutputStream.nullOutputStream()));
  }

  /**
   * Starts serving {@code repository} on {@code address} (port 0 picks a free one), printing one
   * line per request to {@code log}, such as {@code GET /channels/stable.json 200}.
   *
   * @throws IOException when the directory does not exist or the address cannot be bound
   */
  public static RepositoryServer start(Path repository, InetSocketAddress address,
      PrintStream log) throws IOException {
    Path root = Objects.requireNonNull(repository, "repository").toRealPath();
    Objects.requireNonNull(log, "log");
    HttpServer server = HttpServer.create(Objects.requireNonNull(address, "address"), 0);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "updater-serve-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    RepositoryServer s = new RepositoryServer(server, executor, root, log);
    server.createContext("/", s::handle);
    server.setExecutor(executor);
    server.start();
    return s;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The repository's address, ending with {@code /}, such as {@code http://127.0.0.1:8080/}: the
   * host is the address the server is bound to, or 127.0.0.1 when it listens on every address.
   */
  public URI url() {
    InetAddress address = server.getAddress().getAddress();
    String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /**
   * How many bytes of file content the server has sent since it started, counted as each piece is
   * handed to the connection (headers and error messages not counted).
   */
  public long bytesSent() {
    return bytesSent.get();
  }

  /** How many requests the server has answered since it started, whatever their status. */
  public long requests() {
    return requests.get();
  }

  /** Stops accepting requests and ends the ones running. Calling it again does nothing. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      String method = exchange.getRequestMethod();
      int code = respond(exchange, method);
      log.println(method + " " + exchange.getRequestURI().getRawPath() + " " + code);
    } catch (IOException e) {
      log.println(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
          + " aborted: " + e.getMessage());
    }
  }

  private int respond(HttpExchange exchange, String method) throws IOException {
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      return error(exchange, 405, "only GET and HEAD are served");
    }
    Optional<Path> file = resolve(exchange.getRequestURI().getRawPath());
    if (file.isEmpty()) {
      return error(exchange, 400, "the path must stay inside the repository");
    }
    Path path = file.get();
    if (!insideRoot(path)) {
      return error(exchange, 404, "not found (directories are not listed)");
    }
    long size = Files.size(path);
    Headers h = exchange.getResponseHeaders();
    h.set("Content-Type", contentType(path));
    h.set("Accept-Ranges", "bytes");
    if (root.relativize(path).startsWith("channels")) {
      h.set("Cache-Control", "no-cache"); // the index changes in place when a release is published
    }
    Optional<Span> span = span(exchange.getRequestHeaders().getFirst("Range"), size);
    if (span.isEmpty()) {
      h.set("Content-Range", "bytes */" + size);
      return error(exchange, 416, "the range is outside the file's " + size + " bytes");
    }
    Span s = span.get();
    if (s.code() == 206) {
      h.set("Content-Range", "bytes " + s.start() + "-" + s.end() + "/" + size);
    }
    if (head) {
      h.set("Content-Length", Long.toString(s.length()));
      exchange.sendResponseHeaders(s.code(), -1);
    } else {
      exchange.sendResponseHeaders(s.code(), s.length() == 0 ? -1 : s.length());
      send(exchange, path, s);
    }
    return s.code();
  }

  /**
   * The part of a file of {@code size} bytes that a {@code Range} header asks for: the whole file
   * (200) without one, or when it is malformed or has several parts, as HTTP allows; empty when
   * the range lies outside the file (416).
   */
  private static Optional<Span> span(String range, long size) {
    Span whole = new Span(0, size - 1, 200);
    if (range == null) {
      return Optional.of(whole);
    }
    Matcher m = RANGE.matcher(range.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.of(whole);
    }
    long start;
    long end = size - 1;
    if (m.group(1).isEmpty()) {
      start = Math.max(0, size - Long.parseLong(m.group(2)));
    } else {
      start = Long.parseLong(m.group(1));
      if (!m.group(2).isEmpty()) {
        end = Math.min(end, Long.parseLong(m.group(2)));
      }
    }
    if (start >= size || start > end) {
      return Optional.empty();
    }
    return Optional.of(new Span(start, end, 206));
  }

  private void send(HttpExchange exchange, Path path, Span span) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(path);
        OutputStream out = exchange.getResponseBody()) {
      channel.position(span.start());
      InputStream in = Channels.newInputStream(channel);
      byte[] buf = new byte[64 * 1024];
      long left = span.length();
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          break;
        }
        bytesSent.addAndGet(n);
        out.write(buf, 0, n);
        left -= n;
      }
    }
  }

  /**
   * Whether {@code path} is a regular file whose real location (symbolic links followed, in any
   * segment) is inside the repository.
   */
  private boolean insideRoot(Path path) {
    try {
      Path real = path.toRealPath();
      return real.startsWith(root) && Files.isRegularFile(real);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The file for a raw request path, or empty when the path would leave the repository: every
   * segment is decoded once and must not be {@code .}, {@code ..}, or hold a slash, a backslash or
   * a NUL.
   */
  Optional<Path> resolve(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return Optional.empty();
    }
    Path path = root;
    for (String raw : rawPath.substring(1).split("/", -1)) {
      if (raw.isEmpty()) {
        continue;
      }
      Optional<String> segment = decode(raw);
      if (segment.isEmpty()) {
        return Optional.empty();
      }
      String s = segment.get();
      if (s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\")
          || s.indexOf('\0') >= 0) {
        return Optional.empty();
      }
      path = path.resolve(s);
    }
    Path normal = path.normalize();
    if (!normal.startsWith(root)) {
      return Optional.empty();
    }
    return Optional.of(normal);
  }

  /** Percent-decodes one segment as strict UTF-8; empty when the encoding is malformed. */
  private static Optional<String> decode(String raw) {
    byte[] out = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return Optional.empty();
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return Optional.empty();
        }
        out[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else if (c > 0x7f) {
        return Optional.empty();
      } else {
        out[n++] = (byte) c;
      }
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out, 0, n)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty(); // overlong or broken UTF-8, such as %c0%ae for '.'
    }
  }

  private static String contentType(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return "application/json";
    } else if (name.endsWith(".minisig") || name.endsWith(".txt") || name.endsWith(".pub")) {
      return "text/plain; charset=utf-8";
    } else if (name.endsWith(".zip")) {
      return "application/zip";
    } else if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
      return "application/gzip";
    }
    return "application/octet-stream";
  }

  private static int error(HttpExchange exchange, int code, String message) throws IOException {
    byte[] body = (code + " " + message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(code, -1);
      return code;
    }
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    return code;
  }

  @Override
  public String toString() {
    return "RepositoryServer[" + root + " on port " + port() + "]";
  }
}
