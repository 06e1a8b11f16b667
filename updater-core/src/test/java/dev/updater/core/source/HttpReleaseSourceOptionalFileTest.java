package dev.updater.core.source;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpReleaseSource#fetchOptional}, the package-private read of a file that may be absent
 * (such as a signature beside an index), against a minimal HTTP/1.1 responder on 127.0.0.1: one
 * request per connection, 200 with the file or 404.
 */
class HttpReleaseSourceOptionalFileTest {
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private ServerSocket server;
  private Thread acceptor;

  @BeforeEach
  void startServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::serve, "optional-file-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    acceptor.join(5_000);
  }

  @Test
  void shouldFetchAnOptionalSiblingFileOrNothingWhenItIsMissing() throws IOException {
    HttpReleaseSource source = HttpReleaseSource.builder(
            URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"))
        .maxAttempts(1).readTimeout(Duration.ofSeconds(5)).build();
    assertThat(source.fetchOptional("channels/stable.json.minisig", 1024)).isEmpty();

    files.put("/channels/stable.json.minisig", "sig".getBytes(UTF_8));
    assertThat(source.fetchOptional("channels/stable.json.minisig", 1024))
        .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo("sig".getBytes(UTF_8)));
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        answer(socket);
      } catch (IOException e) {
        // closed by stopServer, or a client gone: either way, wait for the next one
      }
    }
  }

  private void answer(Socket socket) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
    String requestLine = in.readLine();
    for (String header = in.readLine(); header != null && !header.isEmpty();
        header = in.readLine()) {
      // headers are not needed
    }
    String path = requestLine == null ? "" : requestLine.split(" ")[1];
    byte[] body = files.get(path);
    String head = body == null
        ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        : "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(US_ASCII));
    if (body != null) {
      out.write(body);
    }
    out.flush();
  }
}
