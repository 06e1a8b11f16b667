// tag::app[]
package com.example.myapp;

import com.sun.net.httpserver.HttpServer;
import dev.updater.core.Layout;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.systemd.Restarters;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;

public final class MyApp {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("myapp.home", "/opt/myapp"));
    URI updates = URI.create(
        System.getProperty("myapp.updates", "https://updates.example.com/myapp/"));
    int port = Integer.getInteger("myapp.port", 8080);
    Version running = Version.fromManifest(MyApp.class).orElseThrow();   // 1.0.0, from the jar

    // The application itself: here only the health endpoint the updater asks after a restart.
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/api/health", exchange -> {
      byte[] body = ("{\"version\":\"" + running + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();

    // tag::embed[]
    Updater updater = Updater.builder()
        .home(home)
        .source(HttpReleaseSource.builder(updates)
            .trustedKeys(TrustedKeys.read(home.resolve("updates.pub"))).build())
        .activator(SymlinkActivator.builder(Layout.of(home)).shared("data").build())
        .restarter(Restarters.firstAvailable("myapp"))   // systemd, pm2, or exit 75
        .healthCheck(HttpHealthCheck.builder(URI.create("http://127.0.0.1:" + port + "/api/health"))
            .versionField("version").build())            // the new process must answer its version
        .runningVersion(running)
        .build();
    UpdateStatus status = updater.confirm();   // first, at every start: keeps a new release
    System.out.println("myapp " + running + " started; updates: " + status.state());
    updater.check().ifPresent(updater::install);   // then update: installs, restarts, confirms
    // end::embed[]
  }
}
// end::app[]
