package dev.updater.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of a database server that, once it has seen {@code trigger} in what a
 * client sends, forwards the client's next {@code COMMIT} to the server and then drops the
 * client's connection before the answer can reach it: an ambiguous commit,
 * where the client sees an error but the server has committed. Cuts once. Test-only.
 *
 * <p>The answer is withheld by the order of events, not by speed: the connection's answers stop
 * being forwarded before the {@code COMMIT} is, so however fast the server answers and however
 * slow the machine, the client never hears it. {@link #awaitWithheldAnswer} waits for the
 * server's answer to arrive (and be dropped), i.e. until the server has processed the commit.
 */
final class CommitCuttingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final String trigger;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicBoolean cut = new AtomicBoolean();
  private final CountDownLatch answered = new CountDownLatch(1);
  private final java.util.List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

  CommitCuttingProxy(int targetPort, String trigger) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = targetPort;
    this.trigger = trigger;
    threads.submit(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** True once a commit was forwarded and its client cut off. */
  boolean cut() {
    return cut.get();
  }

  /** Waits until the server answered the cut commit; false when it did not within the time. */
  boolean awaitWithheldAnswer(long timeout, TimeUnit unit) throws InterruptedException {
    return answered.await(timeout, unit);
  }

  private Void accept() throws IOException {
    while (!listener.isClosed()) {
      Socket client = listener.accept();
      Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
      sockets.add(client);
      sockets.add(server);
      AtomicBoolean muted = new AtomicBoolean();
      threads.submit(() -> clientToServer(client, server, muted));
      threads.submit(() -> pump(server.getInputStream(), client.getOutputStream(), muted));
    }
    return null;
  }

  private Void clientToServer(Socket client, Socket server, AtomicBoolean muted)
      throws IOException {
    InputStream in = client.getInputStream();
    OutputStream out = server.getOutputStream();
    StringBuilder seen = new StringBuilder();
    boolean armed = false;
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        armed |= seen.indexOf(trigger) >= 0;
        if (armed && seen.lastIndexOf("COMMIT") > seen.indexOf(trigger)
            && cut.compareAndSet(false, true)) {
          muted.set(true); // before the COMMIT leaves: its answer can never be forwarded
          out.write(buffer, 0, n);
          out.flush();
          client.close(); // the server has the COMMIT; the client never hears how it went
          return null;
        }
        out.write(buffer, 0, n);
        out.flush();
        if (!armed && seen.length() > 4096) {
          seen.delete(0, seen.length() - trigger.length());
        }
      }
    } catch (IOException e) {
      // a side closed: the pump ends
    }
    close(client, server);
    return null;
  }

  private Void pump(InputStream in, OutputStream out, AtomicBoolean muted) {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (muted.get()) {
          answered.countDown(); // the server answered the commit; dropped
          continue;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // a side closed: the pump ends
    }
    return null;
  }

  private static void close(Socket... sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    close(sockets.toArray(Socket[]::new));
    threads.shutdownNow();
  }
}
