package dev.updater.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Runs the {@code updater} command in-process against real directories, and builds the small zip
 * artifacts the tests publish.
 */
final class CliHarness {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final Clock clock;

  CliHarness() {
    this(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  CliHarness(Clock clock) {
    this.clock = clock;
  }

  /** What one run printed and returned. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  Result run(Object... args) {
    String[] argv = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      argv[i] = String.valueOf(args[i]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, UTF_8);
        PrintStream e = new PrintStream(err, true, UTF_8)) {
      code = Main.run(argv, new Env(o, e, clock));
    }
    return new Result(code, out.toString(UTF_8), err.toString(UTF_8));
  }

  /**
   * Makes a key pair in {@code tmp/keys} with {@code keygen} and publishes {@code versions} to
   * {@code repo}, signed by it, each a zip {@link #artifact} built under {@code tmp/build}.
   *
   * @return the public key file to trust
   */
  Path publishSigned(Path tmp, Path repo, String... versions) throws IOException {
    Result keygen = run("keygen", "--out", tmp.resolve("keys"));
    if (keygen.code() != 0) {
      throw new IllegalStateException("keygen failed: " + keygen);
    }
    for (String v : versions) {
      Result publish = run("publish", "--repo", repo, "--version", v,
          "--key", tmp.resolve("keys/updater.key"),
          artifact(tmp.resolve("build"), "app-" + v + ".zip", v));
      if (publish.code() != 0) {
        throw new IllegalStateException("publishing " + v + " failed: " + publish);
      }
    }
    return tmp.resolve("keys/updater.pub");
  }

  /**
   * Starts a static file server on 127.0.0.1 serving the files under {@code root} at {@code
   * /prefix/} (404 for anything else, including paths that climb out); the caller stops it.
   */
  static HttpServer serve(Path root, String prefix) throws IOException {
    String base = "/" + prefix + "/";
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(base, exchange -> {
      Path file = root.resolve(exchange.getRequestURI().getPath().substring(base.length()))
          .normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
    return server;
  }

  /** A zip artifact holding {@code VERSION} (the version) and {@code bin/app}. */
  static Path artifact(Path dir, String name, String version) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    try (OutputStream os = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("VERSION"));
      zip.write((version + "\n").getBytes(UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("bin/app"));
      zip.write(("#!/bin/sh\necho app " + version + "\n").getBytes(UTF_8));
      zip.closeEntry();
    }
    return file;
  }

  /** The version the home's {@code current} link serves, read from its VERSION file. */
  static String live(Path home) throws IOException {
    return Files.readString(home.resolve("current").resolve("VERSION"), UTF_8).strip();
  }
}
