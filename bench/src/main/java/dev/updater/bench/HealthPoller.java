package dev.updater.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks an application's health endpoint every few milliseconds, on its own thread, and keeps the
 * timeline of the answers: what a user of the application sees while it is updated. Each request
 * is a new connection ({@code HTTP/1.0}), so a restarted server is seen at once and no pooled
 * connection hides a stopped one.
 *
 * <pre>{@code
 * try (HealthPoller poller = HealthPoller.start(port, "/api/health", 10)) {
 *   ... update the application ...
 *   List<HealthPoller.Sample> timeline = poller.samples();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class HealthPoller implements AutoCloseable {
  /** An answer not received: refused, reset, timed out. */
  static final int NO_ANSWER = -1;
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]*)\"");

  /**
   * One request.
   *
   * @param sent when it was sent ({@link System#nanoTime()})
   * @param received when its answer (or its failure) came
   * @param status the HTTP status, or {@link #NO_ANSWER}
   * @param version the {@code version} of the answer's body, or empty
   */
  record Sample(long sent, long received, int status, String version) {
    boolean healthy(String v) {
      return status == 200 && version.equals(v);
    }
  }

  private final int port;
  private final String path;
  private final long intervalNanos;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  private HealthPoller(int port, String path, long intervalMillis) {
    this.port = port;
    this.path = path;
    this.intervalNanos = intervalMillis * 1_000_000;
    this.thread = new Thread(this::loop, "health-poller");
    thread.setDaemon(true);
  }

  /** Starts asking {@code http://127.0.0.1:<port><path>} every {@code intervalMillis}. */
  static HealthPoller start(int port, String path, long intervalMillis) {
    HealthPoller p = new HealthPoller(port, path, intervalMillis);
    p.thread.start();
    return p;
  }

  /** The answers so far, oldest first. */
  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  private void loop() {
    long next = System.nanoTime();
    while (!stopped) {
      Sample s = ask();
      synchronized (this) {
        samples.add(s);
      }
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      } else {
        next = System.nanoTime();
      }
    }
  }

  private Sample ask() {
    long sent = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      long received = System.nanoTime();
      String[] statusLine = answer.split("\r\n", 2)[0].split(" ");
      int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : NO_ANSWER;
      Matcher m = VERSION.matcher(answer);
      return new Sample(sent, received, status, m.find() ? m.group(1) : "");
    } catch (IOException | NumberFormatException e) {
      return new Sample(sent, System.nanoTime(), NO_ANSWER, "");
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5_000);
  }
}
