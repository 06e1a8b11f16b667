package dev.updater.core;

import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.core.source.DirectoryReleaseSource;
import com.sun.net.httpserver.HttpServer;
import dev.updater.testkit.Updaters;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A host application for the confirmation tests, run in a child JVM as a supervisor would run it:
 * {@code HostAppMain <home> <repository> <port> [<confirmation timeout ms>]}. Its version is {@code current/VERSION} of the
 * home, read at start; {@code current/BEHAVIOUR} says how the release behaves:
 * <ul>
 *   <li>{@code ok} (or no file): serves {@code GET /api/health} ({@code {"version":"<v>"}}) on
 *       127.0.0.1, then calls {@link Updater#confirm()} and prints {@code CONFIRMED <state>};
 *       {@code POST /api/update?to=<v>} installs that release (the restarter exits with
 *       {@value #RESTART_CODE}, for the supervisor to start the new release);
 *   <li>{@code silent}: calls {@link Updater#recover()} (counting its start), prints
 *       {@code SILENT}, and hangs without serving;
 *   <li>{@code crash}: calls {@link Updater#recover()}, then exits with {@value #CRASH_CODE}.
 * </ul>
 */
public final class HostAppMain {
  static final int RESTART_CODE = 75;
  static final int CRASH_CODE = 3;

  /** Opened once start-up confirmation is done: an update request waits for it (the lock). */
  private static final java.util.concurrent.CountDownLatch READY =
      new java.util.concurrent.CountDownLatch(1);

  private HostAppMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Path repository = Path.of(args[1]);
    int port = Integer.parseInt(args[2]);
    Layout layout = Layout.of(home);
    Version version = Version.parse(Files.readString(layout.current().resolve("VERSION")).strip());
    Path behaviourFile = layout.current().resolve("BEHAVIOUR");
    String behaviour = Files.exists(behaviourFile) ? Files.readString(behaviourFile).strip() : "ok";
    Duration deadline = args.length > 3 ? Duration.ofMillis(Long.parseLong(args[3]))
        : Updater.Builder.DEFAULT_CONFIRMATION_TIMEOUT;
    Updater updater = updater(home, repository, port, version, deadline);
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
        System.exit(CRASH_CODE);
      }
      default -> {
        serve(port, version, updater);
        System.out.println("CONFIRMED " + updater.confirm().state());
        READY.countDown();
      }
    }
  }

  static Updater updater(Path home, Path repository, int port, Version running) {
    return updater(home, repository, port, running, Updater.Builder.DEFAULT_CONFIRMATION_TIMEOUT);
  }

  static Updater updater(Path home, Path repository, int port, Version running,
      Duration confirmationTimeout) {
    return Updaters.sharing(home, DirectoryReleaseSource.of(repository), "data")
        .confirmationTimeout(confirmationTimeout)
        .runningVersion(running)
        .healthCheck(HttpHealthCheck.builder(URI.create("http://127.0.0.1:" + port + "/api/health"))
            // it checks its own server, started before confirm(): a long timeout costs nothing
            // when it answers, and a busy machine slowing the first answer fails no test
            .versionField("version").interval(Duration.ofMillis(100))
            .timeout(Duration.ofSeconds(60)).build())
        .restarter(ctx -> {
          System.out.println("RESTARTING into " + ctx.to());
          System.out.flush();
          System.exit(RESTART_CODE);
        })
        .build();
  }

  private static void serve(int port, Version version, Updater updater) throws Exception {
    HttpServer server = bind(port);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/api/health", exchange -> {
      byte[] body = ("{\"version\":\"" + version + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/api/update", exchange -> {
      String query = exchange.getRequestURI().getQuery();
      Version to = Version.parse(query.substring(query.indexOf('=') + 1));
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
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
  }

  /** Binds, retrying for a while: the previous process may have just let go of the port. */
  private static HttpServer bind(int port) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
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
