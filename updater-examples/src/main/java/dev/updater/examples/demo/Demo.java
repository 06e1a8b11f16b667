package dev.updater.examples.demo;

import dev.updater.core.HistoryEntry;
import dev.updater.core.Version;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code ./demo} command: runs {@link DemoScenario} in a new temporary directory (or the one
 * given), prints a summary and where to look, and stops every process it started, also on Ctrl-C.
 *
 * <pre>{@code
 * java -cp ... dev.updater.examples.demo.Demo [--keep] [work-directory]
 * }</pre>
 *
 * <p>With {@code --keep} the application keeps running after the scenario, with its admin page,
 * until Ctrl-C. Exit status 0 when every step happened as expected, 1 otherwise.
 */
public final class Demo {
  private Demo() {}

  /** Runs the demo; see the class description for the arguments. Exits the JVM. */
  public static void main(String[] args) throws Exception {
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    boolean keep = List.of(args).contains("--keep");
    List<String> rest = List.of(args).stream().filter(a -> !a.equals("--keep")).toList();
    Path work = rest.isEmpty() ? Files.createTempDirectory("updater-demo-")
        : Files.createDirectories(Path.of(rest.get(0)));
    PrintStream out = System.out;
    out.println("updater demo in " + work);
    DemoEnvironment env = DemoEnvironment.create(work);
    Thread cleanup = new Thread(env::close, "demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    long t0 = System.nanoTime();
    int code = 0;
    try {
      DemoScenario.Outcome o = new DemoScenario(env, out).run();
      summary(out, env, o, (System.nanoTime() - t0) / 1e9);
      if (!o.ordersAtEnd().equals(o.ordersAfterUpdate())
          || o.ordersAfterUpdate().size() != o.ordersAtStart().size()) {
        throw new IllegalStateException("orders changed across the updates: "
            + o.ordersAtStart().size() + " before, " + o.ordersAtEnd().size() + " at the end");
      }
      if (keep) {
        out.println();
        out.println("The application keeps running: open " + env.client().base()
            + "admin (Ctrl-C stops it).");
        Thread.currentThread().join();
      }
    } catch (Exception e) {
      code = 1;
      out.println();
      out.println("The demo failed: " + e.getMessage());
      out.println("Look at the application's logs in " + env.logs());
    } finally {
      env.close();
    }
    out.println("Every process the demo started has been stopped.");
    System.exit(code);
  }

  private static void summary(PrintStream out, DemoEnvironment env, DemoScenario.Outcome o,
      double seconds) throws Exception {
    out.println();
    out.printf("Summary (%.0f s)%n", seconds);
    out.println("  1.0.0 installed and started; " + o.ordersAtStart().size() + " orders");
    out.println("  1.1.0 approved (HTTP " + o.installStatus() + "), phases "
        + String.join(" -> ", o.phases()) + "; migration V2 added orders.priority; "
        + o.ordersAfterUpdate().size() + " orders kept (row counts guarded)");
    out.println("  1.2.0 approved (HTTP " + o.brokenInstallStatus() + "), failed its health check ("
        + o.finalError() + ") and was rolled back automatically: " + o.finalVersion()
        + " serves, " + o.ordersAtEnd().size() + " orders");
    out.println("  processes started by the supervisor: " + String.join(", ", o.starts()));
    out.println("History of the install:");
    for (HistoryEntry h : env.observer().history()) {
      out.println("  " + h.at() + "  " + h.operation() + " "
          + h.from().map(Version::toString).orElse("-") + " -> "
          + h.to().map(Version::toString).orElse("-") + "  " + h.outcome()
          + h.reason().map(r -> " (" + r + ")").orElse(""));
    }
    out.println("Where to look (left on disk):");
    out.println("  " + env.home() + "   releases/, current -> "
        + Files.readSymbolicLink(env.layout().current()) + ", shared/data/app.db");
    out.println("  " + env.layout().state() + "   journal, history.jsonl, lock");
    out.println("  " + env.logs() + "   one log per application process (app-1.log ...)");
    out.println("  " + env.repo() + "   the signed update repository (channels/, releases/)");
  }
}
