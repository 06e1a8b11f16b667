package dev.updater.cli;

import dev.updater.core.HistoryEntry;
import dev.updater.core.UpdateException;
import dev.updater.core.Version;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code updater history}: every operation recorded on the install, oldest first. */
final class HistoryCommand implements Command {

  @Override
  public String name() {
    return "history";
  }

  @Override
  public String summary() {
    return "list every update, rollback and failure on this install";
  }

  @Override
  public String usage() {
    return "updater history --home DIR [--json]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --home DIR   the install's home directory",
        "  --json       print one JSON object: {\"history\": [{at, operation, from, to, outcome,",
        "               reason, message}, ...]}",
        "One line per operation, oldest first: time, operation, from -> to, outcome, message.");
  }

  @Override
  public Set<String> valued() {
    return Set.of("--home");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--json");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    List<HistoryEntry> entries;
    try {
      entries = StatusCommand.local(args, env).history();
    } catch (UpdateException e) {
      throw Installs.failure(e);
    }
    env.json().ifPresent(j -> {
      var list = j.node().putArray("history");
      for (HistoryEntry e : entries) {
        var o = list.addObject().put("at", e.at().toString())
            .put("operation", lower(e.operation().name()))
            .put("from", e.from().map(Version::toString).orElse(null))
            .put("to", e.to().map(Version::toString).orElse(null))
            .put("outcome", lower(e.outcome().name()))
            .put("reason", e.reason().map(Enum::name).orElse(null));
        o.put("message", e.message());
      }
    });
    if (entries.isEmpty()) {
      env.out().println("no operations recorded");
    }
    for (HistoryEntry e : entries) {
      env.out().println(e.at() + "  " + lower(e.operation().name()) + "  " + text(e.from())
          + " -> " + text(e.to()) + "  " + lower(e.outcome().name())
          + e.reason().map(r -> " (" + r + ")").orElse("") + "  " + e.message());
    }
    return Exit.OK;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static String text(Optional<Version> v) {
    return v.map(Version::toString).orElse("(none)");
  }
}
