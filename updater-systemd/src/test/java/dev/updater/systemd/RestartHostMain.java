package dev.updater.systemd;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.core.Layout;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.confirm.Watcher;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The host application of {@link RestartEndToEndTest}, run in a child JVM by a stand-in supervisor
 * from {@code current/}: {@code RestartHostMain <home> <repository> <port> <confirmation ms>
 * [<watcher restart command>...]}. Its version is {@code current/VERSION}; it restarts through
 * {@link Restarters#firstAvailable(String)} (pm2, systemctl --user, sudo systemctl, exit 75) on the
 * PATH it was given, and starts a {@link Watcher} running the given command when one is given.
 * {@code current/BEHAVIOUR} says how the release behaves:
 * <ul>
 *   <li>{@code ok}: serves {@code /api/health} ({@code {"version":"<v>"}}), {@code POST
 *       /api/update?to=<v>} (installs) and {@code GET /api/update/progress} (calls
 *       {@link Updater#status()} and answers {@code <state> <phase>}); then confirms at start;
 *   <li>{@code status}: the same, but never calls {@code confirm()}: only a progress request
 *       completes the update, as an admin panel polling its progress would;
 *   <li>{@code silent}: recovers (counting its start), prints {@code SILENT}, hangs without
 *       serving;
 *   <li>{@code crash}: recovers, then exits with 3.
 * </ul>
 */
public final class RestartHostMain {
  /** Opened once start-up confirmation is done: an update request waits for it (the lock). */
  private static final java.util.concurrent.CountDownLatch READY =
      new java.util.concurrent.CountDownLatch(1);

  private RestartHostMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path repository = Path.of(args[1]);
    int port = Integer.parseInt(args[2]);
    Duration confirmation = Duration.ofMillis(Long.parseLong(args[3]));
    List<String> watcherCommand = List.of(args).subList(4, args.length);
    Layout layout = Layout.of(home);
    Version version = Version.parse(Files.readString(layout.current().resolve("VERSION")).strip());
    Path behaviourFile = layout.current().resolve("BEHAVIOUR");
    String behaviour = Files.exists(behaviourFile) ? Files.readString(behaviourFile).strip() : "ok";
    Updater.Builder builder = Updaters.sharing(home, DirectoryReleaseSource.of(repository), "data")
        .runningVersion(version)
        .confirmationTimeout(confirmation)
        .healthCheck(HttpHealthCheck.builder(URI.create("http://127.0.0.1:" + port + "/api/health"))
            .versionField("version").interval(Duration.ofMillis(100))
            .timeout(Duration.ofSeconds(10)).build())
        .restarter(Restarters.firstAvailable("myapp"));
    if (!watcherCommand.isEmpty()) {
      builder.watcher(Watcher.builder().restartCommand(watcherCommand)
          .pollInterval(Duration.ofMillis(200)).commandTimeout(Duration.ofSeconds(30)).build());
    }
    Updater updater = builder.build();
    System.out.println("STARTED " + version + " " + behaviour);
    switch (behaviour) {
      case "silent" -> {
        updater.recover();
        System.out.println("SILENT");
        Thread.sleep(Long.MAX_VALUE);
      }
      case "crash" -> {
        updater.recover();
        System.out.println("CRASHING");
        System.exit(3);
      }
      case "status" -> {
        READY.countDown();
        serve(port, version, updater);
      }
      default -> {
        serve(port, version, updater);
        System.out.println("CONFIRMED " + updater.confirm().state());
        READY.countDown();
      }
    }
  }

  private static void serve(int port, Version version, Updater updater) throws Exception {
    HttpServer server = bind(port);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/api/health", exchange ->
        answer(exchange, 200, "{\"version\":\"" + version + "\"}"));
    server.createContext("/api/update/progress", exchange -> {
      UpdateStatus s = updater.status();
      answer(exchange, 200, s.state() + " " + s.phase().statusName());
    });
    server.createContext("/api/update", exchange -> {
      String query = exchange.getRequestURI().getQuery();
      Version to = Version.parse(query.substring(query.indexOf('=') + 1));
      answer(exchange, 202, "");
      Thread t = new Thread(() -> {
        try {
          READY.await();
          System.out.println("RESULT " + updater.install(updater.find(to).orElseThrow()));
        } catch (RuntimeException | InterruptedException e) {
          System.out.println("FAILED " + e);
        }
      }, "update");
      t.start();
    });
    server.start();
    System.out.println("SERVING " + version);
  }

  private static void answer(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  /** Binds, retrying for a while: the previous process may have just let go of the port. */
  private static HttpServer bind(int port) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      } catch (BindException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
