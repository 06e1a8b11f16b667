package dev.updater.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code updater serve}: serves an update repository over HTTP for trials, until Ctrl-C. See
 * {@link RepositoryServer} for what is served.
 */
final class ServeCommand implements Command {

  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "serve an update repository over HTTP for trials (Ctrl-C stops)";
  }

  @Override
  public String usage() {
    return "updater serve --repo DIR [--port N] [--bind ADDRESS]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --repo DIR        the repository written by 'updater publish'",
        "  --port N          the TCP port (default 8080); 0 picks a free one and prints it",
        "  --bind ADDRESS    the address to listen on (default 127.0.0.1, this machine only;",
        "                    0.0.0.0 for every interface)",
        "GET and HEAD, with Range for resumable downloads; no directory listings; nothing",
        "outside DIR. For trials: use a real web server (with TLS) in production.");
  }

  @Override
  public Set<String> valued() {
    return Set.of("--repo", "--port", "--bind");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    Path repo = Installs.path(args.required("--repo", "DIR: the update repository"), "--repo");
    if (!Files.isDirectory(repo)) {
      throw CliException.badArgument("--repo " + repo + " is not a directory; publish into it "
          + "first with 'updater publish --repo " + repo + " ...'", null);
    }
    String portText = args.value("--port").orElse("8080");
    if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) > 65535) {
      throw CliException.usage("--port '" + portText + "' must be a TCP port from 0 to 65535 "
          + "(0 picks a free one)");
    }
    InetAddress address;
    String bind = args.value("--bind").orElse("127.0.0.1");
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw CliException.badArgument("--bind " + bind + " is not an address of this machine: "
          + e.getMessage(), e);
    }
    RepositoryServer server;
    try {
      server = RepositoryServer.start(repo, new InetSocketAddress(address,
          Integer.parseInt(portText)), env.out());
    } catch (IOException e) {
      throw CliException.failed(Exit.FAILED, "cannot serve on " + bind + ":" + portText + ": "
          + e + "; pick another --port (0 picks a free one)", e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "updater-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    env.out().println("serving " + repo.toAbsolutePath().normalize() + " on port "
        + server.port());
    env.out().println("  --source " + server.url());
    env.out().println("Press Ctrl-C to stop.");
    env.out().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // an in-process caller stops the server by interrupting the thread that runs the command
      Thread.currentThread().interrupt();
    } finally {
      server.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting (Ctrl-C): the hook runs or has run
      }
    }
    env.out().println("stopped");
    return Exit.OK;
  }
}
