package dev.updater.bench;

import dev.updater.cli.RepositoryServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark's repository server: the CLI's {@link RepositoryServer} (the JDK's {@code
 * HttpServer}) on 127.0.0.1, run as its own process so that serving does not share the measured
 * JVM. {@link #start} launches it; {@link #main} is the process.
 *
 * <pre>{@code
 * try (FileServer server = FileServer.start(java, classpath, repos, work.resolve("server.log"))) {
 *   long before = server.bytesSent();
 *   ... install from server.base().resolve("tree/") ...
 *   long sent = server.bytesSent() - before;
 * }
 * }</pre>
 *
 * <p>The process talks over its standard streams: it prints its port once it serves; it answers
 * each line {@code bytes} read from its input with the bytes of file content sent so far, and
 * each line {@code requests} with the requests answered so far; it stops at the end of its input. Its request log goes to its standard error. Not thread-safe.
 */
public final class FileServer implements AutoCloseable {
  private final Process process;
  private final BufferedReader answers;
  private final Writer questions;
  private final URI base;

  private FileServer(Process process, BufferedReader answers, URI base) {
    this.process = process;
    this.answers = answers;
    this.questions = process.outputWriter(StandardCharsets.US_ASCII);
    this.base = base;
  }

  /**
   * Starts the server process serving {@code root}, with its request log in {@code log}, and
   * waits until it serves.
   */
  static FileServer start(String java, String classpath, Path root, Path log) throws IOException {
    // TCP_NODELAY as web servers set it (nginx's tcp_nodelay is on by default): without it the
    // JDK's server holds a small body back until the client acknowledges the headers, and Linux
    // delays that acknowledgement by 40 ms, which a delta install's small requests would pay.
    Process process = new ProcessBuilder(List.of(java, "-Xmx256m",
        "-Dsun.net.httpserver.nodelay=true", "-cp", classpath, FileServer.class.getName(),
        root.toString()))
        .redirectError(log.toFile())
        .start();
    BufferedReader answers = process.inputReader(StandardCharsets.US_ASCII);
    String port = answers.readLine();
    if (port == null || !port.matches("\\d+")) {
      process.destroy();
      throw new IOException("the file server did not start; see " + log);
    }
    return new FileServer(process, answers, URI.create("http://127.0.0.1:" + port + "/"));
  }

  /** The address of the served directory, ending with {@code /}. */
  URI base() {
    return base;
  }

  /** The process id, for the log. */
  long pid() {
    return process.pid();
  }

  /** The bytes of file content the server has sent since it started. */
  long bytesSent() throws IOException {
    return ask("bytes");
  }

  /** The requests the server has answered since it started. */
  long requests() throws IOException {
    return ask("requests");
  }

  private long ask(String question) throws IOException {
    questions.write(question + "\n");
    questions.flush();
    String answer = answers.readLine();
    if (answer == null) {
      throw new IOException("the file server ended");
    }
    return Long.parseLong(answer.strip());
  }

  /** Ends the server process. */
  @Override
  public void close() {
    process.destroy();
  }

  /** Serves {@code args[0]}; see the class comment for how it talks to the benchmark. */
  public static void main(String[] args) throws IOException {
    try (RepositoryServer server = RepositoryServer.start(Path.of(args[0]),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), System.err)) {
      PrintStream out = System.out;
      out.println(server.port());
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(System.in, StandardCharsets.US_ASCII));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.strip().equals("bytes")) {
          out.println(server.bytesSent());
        } else if (line.strip().equals("requests")) {
          out.println(server.requests());
        }
        out.flush();
      }
    }
  }
}
