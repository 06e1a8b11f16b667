package dev.updater.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of a database server that, once it has seen {@code trigger} in what a
 * client sends, forwards the client's next {@code COMMIT} to the server and then drops the
 * client's connection before the answer can reach it: an ambiguous commit,
 * where the client sees an error but the server has committed. Cuts once. Test-only.
 */
final class CommitCuttingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final String trigger;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicBoolean cut = new AtomicBoolean();
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

  private Void accept() throws IOException {
    while (!listener.isClosed()) {
      Socket client = listener.accept();
      Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
      sockets.add(client);
      sockets.add(server);
      threads.submit(() -> clientToServer(client, server));
      threads.submit(() -> pump(server.getInputStream(), client.getOutputStream(), client));
    }
    return null;
  }

  private Void clientToServer(Socket client, Socket server) throws IOException {
    InputStream in = client.getInputStream();
    OutputStream out = server.getOutputStream();
    StringBuilder seen = new StringBuilder();
    boolean armed = false;
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
        seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        armed |= seen.indexOf(trigger) >= 0;
        if (armed && seen.lastIndexOf("COMMIT") > seen.indexOf(trigger)
            && cut.compareAndSet(false, true)) {
          client.close(); // the server has the COMMIT; the client never hears how it went
          return null;
        }
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

  private static Void pump(InputStream in, OutputStream out, Socket client) {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (!client.isClosed()) {
          out.write(buffer, 0, n);
          out.flush();
        }
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
