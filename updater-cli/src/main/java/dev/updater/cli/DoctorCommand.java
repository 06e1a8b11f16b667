package dev.updater.cli;

import dev.updater.core.ReleaseIndex;
import dev.updater.core.spi.ReleaseSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code updater doctor}: narrows a failure to the layout of the home ({@link DoctorLayout}), the
 * update source ({@link DoctorSource}) or the database ({@link DoctorDatabase}), one line per
 * check, each {@code OK} or {@code FAIL} with what to do. Changes nothing.
 */
final class DoctorCommand implements Command {
  @Override
  public String name() {
    return "doctor";
  }

  @Override
  public String summary() {
    return "check the home, the database and the source; one OK or FAIL line each";
  }

  @Override
  public String usage() {
    return "updater doctor --home DIR [--source SOURCE (--trust PUBFILE... | --trust-root PUBFILE... | --unsigned)] "
        + "[--channel NAME] [--application NAME] [--jdbc-url URL [--jdbc-user USER] "
        + "[--jdbc-password-env VAR]] [--json]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --home DIR              the install's home: releases/, current, .updater/",
        "  --source SOURCE         the update repository to check (URL or directory)",
        "  --trust PUBFILE         the publisher's public key; repeat for several",
        "  --trust-root PUBFILE    a root key the repository's key lists lead from",
        "  --root-threshold N      how many root keys must sign the first key list",
        "  --unsigned              check the source without a signature",
        "  --channel NAME          the channel (default: stable)",
        "  --jdbc-url URL          the install's database (jdbc:postgresql://... or",
        "                          jdbc:sqlite:FILE); the drivers of both are bundled",
        "  --jdbc-user USER        the database user",
        "  --jdbc-password-env VAR the environment variable holding the database password",
        "  --json                  print one JSON object: checks [{area, ok, what, fix}],",
        "                          failures, notChecked",
        "Exit code 0 when every line is OK, 1 when any is FAIL. Changes nothing.");
  }

  @Override
  public Set<String> valued() {
    return CheckCommand.with(Installs.SOURCE_OPTIONS, "--jdbc-url", "--jdbc-user",
        "--jdbc-password-env");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--unsigned", "--json");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    Path home = Installs.home(args);
    DoctorReport report = new DoctorReport(env.out(),
        env.json().map(j -> j.node().putArray("checks")));
    if (args.value("--jdbc-user").isPresent() || args.value("--jdbc-password-env").isPresent()) {
      args.required("--jdbc-url", "URL: the database the user and password are for");
    }
    // Read the arguments before any check, so that a usage error is not half a report.
    Optional<ReleaseSource> source = args.value("--source").isPresent()
        ? Optional.of(Installs.source(args)) : Optional.empty();
    String channel = args.value("--channel").orElse("stable");

    DoctorLayout.check(home, env, report);
    Optional<ReleaseIndex> index = Optional.empty();
    if (source.isPresent()) {
      index = DoctorSource.check(args.value("--source").get(), source.get(),
          !args.flag("--unsigned"), channel, env, report);
    }
    Optional<String> application = args.value("--application");
    if (index.isPresent() && application.isPresent()
        && !index.get().application().equals(application.get())) {
      report.fail("source", "the index is published for the application '"
          + index.get().application() + "', not '" + application.get() + "'",
          "check that --source names this application's repository; 'updater check' and "
              + "'install' with --application refuse it");
      index = Optional.empty();
    }
    if (args.value("--jdbc-url").isPresent()) {
      DoctorDatabase.check(args, index, report);
    }

    List<String> skipped = new ArrayList<>();
    if (source.isEmpty()) {
      skipped.add("source (give --source and --trust)");
    }
    if (args.value("--jdbc-url").isEmpty()) {
      skipped.add("database (give --jdbc-url)");
    }
    env.out().println(report.failures == 0
        ? "doctor: all " + report.checks + " checks OK"
        : "doctor: " + report.failures + " of " + report.checks + " checks FAIL");
    if (!skipped.isEmpty()) {
      env.out().println("not checked: " + String.join(", ", skipped));
    }
    env.json().ifPresent(j -> {
      j.node().put("failures", report.failures);
      var notChecked = j.node().putArray("notChecked");
      skipped.forEach(notChecked::add);
    });
    return report.failures == 0 ? Exit.OK : Exit.FAILED;
  }
}
