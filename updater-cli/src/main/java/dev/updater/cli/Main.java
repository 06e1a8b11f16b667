package dev.updater.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code updater} command: publishes releases into a signed static update repository, and
 * checks, installs, rolls back and inspects an install. See {@code docs/cli.md}.
 *
 * <pre>{@code
 * int code = Main.run(new String[] {"status", "--home", "/opt/myapp"}, System.out, System.err);
 * }</pre>
 *
 * <p>Exit codes: 0 ok, 1 failed, 2 usage error, 3 refused (lock held, incompatible or older
 * release, nothing to roll back to, would overwrite), 4 verification failed, 5 source unavailable.
 *
 * <p>{@link #run} keeps no state between calls; calls on different streams may run concurrently.
 */
public final class Main {
  private static final Map<String, Command> COMMANDS = commands(
      new KeygenCommand(), new PublishCommand(), new KeysCommand(), new TimestampCommand(),
      new CheckCommand(), new InstallCommand(),
      new StatusCommand(), new RollbackCommand(), new ClearErrorCommand(),
      new UnquarantineCommand(), new HistoryCommand(), new DoctorCommand(), new ServeCommand(),
      new CompletionCommand());

  private Main() {}

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    Verbosity verbosity = Verbosity.of(Arrays.asList(args));
    verbosity.configureLogging();
    // A person at a terminal sees download progress drawn as a bar; a log or a pipe gets lines.
    Env env = new Env(System.out, System.err, Clock.systemUTC(), System.console() != null,
        Optional.empty(), verbosity == Verbosity.QUIET);
    System.exit(run(args, env));
  }

  /**
   * Runs one command line, printing results to {@code out} and errors to {@code err}, and returns
   * the exit code. Never calls {@link System#exit}.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, new Env(out, err, Clock.systemUTC()));
  }

  static int run(String[] args, Env given) {
    List<String> argv = Verbosity.strip(Arrays.asList(args));
    Env env = Verbosity.of(Arrays.asList(args)) == Verbosity.QUIET ? given.quietly() : given;
    if (argv.isEmpty()) {
      env.err().println("updater: missing the command");
      env.err().print(overview());
      return Exit.USAGE;
    }
    String name = argv.get(0);
    if (name.equals("--version") || name.equals("-V")) {
      env.out().println("updater " + version() + " (Java " + Runtime.version() + ")");
      return Exit.OK;
    }
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      if (argv.size() > 1 && COMMANDS.containsKey(argv.get(1))) {
        env.out().print(help(COMMANDS.get(argv.get(1))));
      } else {
        env.out().print(overview());
      }
      return Exit.OK;
    }
    Command command = COMMANDS.get(name);
    if (command == null) {
      env.err().println("updater: unknown command '" + name + "'");
      env.err().print(overview());
      return Exit.USAGE;
    }
    List<String> rest = argv.subList(1, argv.size());
    int end = rest.indexOf("--");
    List<String> options = end < 0 ? rest : rest.subList(0, end);
    if (options.contains("--help") || options.contains("-h")) {
      env.out().print(help(command));
      return Exit.OK;
    }
    if (command.flags().contains("--json") && options.contains("--json")) {
      return runForJson(command, rest, env);
    }
    try {
      Args parsed = Args.parse(rest, command.valued(), command.flags(), command.operands());
      return command.run(parsed, env);
    } catch (CliException e) {
      env.err().println("updater " + name + ": " + e.getMessage());
      if (e.showUsage()) {
        env.err().println("usage: " + command.usage());
        env.err().println("Run 'updater " + name + " --help' for the options.");
      }
      return e.exitCode();
    } catch (RuntimeException e) {
      env.err().println("updater " + name + ": unexpected error: " + e);
      env.err().println("This is a bug in the updater command; please report it with the command"
          + " line and this message.");
      e.printStackTrace(env.err());
      return Exit.FAILED;
    }
  }

  /**
   * Runs a command with {@code --json}: its human lines go to the error stream, and the standard
   * output gets exactly one JSON object, on success and on failure (then with {@code error}).
   */
  private static int runForJson(Command command, List<String> rest, Env env) {
    JsonReport report = new JsonReport(command.name());
    Env jsonEnv = env.forJson(report);
    int code;
    try {
      Args parsed = Args.parse(rest, command.valued(), command.flags(), command.operands());
      code = command.run(parsed, jsonEnv);
      report.succeeded(code);
    } catch (CliException e) {
      env.err().println("updater " + command.name() + ": " + e.getMessage());
      report.failed(e);
      code = e.exitCode();
    } catch (RuntimeException e) {
      env.err().println("updater " + command.name() + ": unexpected error: " + e);
      e.printStackTrace(env.err());
      report.failed(CliException.failed(Exit.FAILED, "unexpected error: " + e, e));
      code = Exit.FAILED;
    }
    env.out().println(report.text());
    return code;
  }

  /** This command's version, as the build wrote it into {@code version.properties}. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the command's version.properties", e);
    }
    return p.getProperty("version", "unknown");
  }

  /** Every command, in the order {@code updater --help} lists them. */
  static Collection<Command> commands() {
    return COMMANDS.values();
  }

  private static String overview() {
    StringBuilder b = new StringBuilder("usage: updater [--verbose|--quiet] COMMAND [OPTIONS]\n"
        + "       updater --version\n\nCommands:\n");
    for (Command c : COMMANDS.values()) {
      b.append(String.format("  %-12s %s%n", c.name(), c.summary()));
    }
    b.append("\nGlobal options (anywhere before --):\n")
        .append("  -v, --verbose  also print the library's log lines (down to DEBUG) on standard"
            + " error\n")
        .append("  -q, --quiet    print the result and errors only: no step or progress lines\n")
        .append("\nRun 'updater COMMAND --help' for a command's options.\n")
        .append("Exit codes: 0 ok, 1 failed, 2 usage error, 3 refused, 4 verification failed,"
            + " 5 source unavailable.\n");
    return b.toString();
  }

  private static String help(Command c) {
    return "usage: " + c.usage() + "\n\n" + c.summary() + "\n\nOptions:\n" + c.help() + "\n";
  }

  private static Map<String, Command> commands(Command... commands) {
    Map<String, Command> map = new LinkedHashMap<>();
    for (Command c : commands) {
      map.put(c.name(), c);
    }
    return map;
  }
}
