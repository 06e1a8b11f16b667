package dev.updater.cli;

import dev.updater.core.HistoryEntry;
import dev.updater.core.QuarantinedRelease;
import dev.updater.core.Revocation;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code updater status}: what is installed and how the last operation ended. */
final class StatusCommand implements Command {

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String summary() {
    return "show the installed version and the state of the last operation";
  }

  @Override
  public String usage() {
    return "updater status --home DIR [--json]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --home DIR   the install's home directory",
        "  --json       print one JSON object (running, installed, previous, state, phase,",
        "               target, updatedAt, canRollBack, error, quarantined) instead of lines",
        "Also lists the releases rolled back on this home, which checks no longer offer.");
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
    Path home = existingHome(args);
    Updater updater = Installs.local(home, env);
    UpdateStatus s;
    List<QuarantinedRelease> quarantined;
    Optional<HistoryEntry> lastOperation;
    try {
      s = updater.status();
      quarantined = updater.quarantined();
      lastOperation = lastOperation(updater, s);
    } catch (UpdateException e) {
      throw Installs.failure(e);
    }
    env.json().ifPresent(j -> {
      j.status(s);
      j.version("target", s.error().isPresent()
          ? lastOperation.flatMap(HistoryEntry::to) : s.target());
      j.node().put("updatedAt", s.updatedAt().map(Object::toString).orElse(null));
      j.quarantined(quarantined);
      jsonRevoked(j, s.revoked());
    });
    PrintStream out = env.out();
    printRevoked(out, home, s.revoked());
    out.println("installed: " + text(s.installed()));
    out.println("previous:  " + text(s.previous()));
    out.println("state:     " + s.state().name().toLowerCase(Locale.ROOT) + " (phase "
        + s.phase().statusName() + ")");
    if (s.error().isEmpty()) {
      s.target().ifPresent(t -> out.println("target:    " + t));
    }
    s.updatedAt().ifPresent(t -> out.println("updated:   " + t));
    s.error().ifPresent(f -> {
      out.println("error:     " + f.reason()
          + f.step().map(st -> " in step " + st.name().toLowerCase(Locale.ROOT)).orElse("")
          + " at " + f.at());
      out.println("           " + f.message());
      lastOperation.filter(h -> !s.needsOperator())
          .ifPresent(h -> out.println("failed:    " + describe(h)));
      out.println(advice(s, home, lastOperation));
    });
    printQuarantined(out, home, quarantined);
    return Exit.OK;
  }

  /** The operation a failure record belongs to, as the history recorded it. */
  private static String describe(HistoryEntry h) {
    return h.operation().name().toLowerCase(Locale.ROOT) + " "
        + h.from().map(v -> v + " -> ").orElse("") + h.to().map(Version::toString).orElse("?")
        + " (" + h.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
  }

  /** The history's last entry when the status shows an error (what failed); else empty. */
  static Optional<HistoryEntry> lastOperation(Updater updater, UpdateStatus s) {
    if (s.error().isEmpty()) {
      return Optional.empty();
    }
    List<HistoryEntry> history = updater.history();
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  /** What to do about the failure {@code s} shows: only advice that is true of this state. */
  static String advice(UpdateStatus s, Path home, Optional<HistoryEntry> last) {
    String live = s.installed().map(Version::toString).orElse("no release");
    String clear = "'updater clear-error --home " + home + "' clears this status";
    if (s.needsOperator()) {
      return "No release is known to work, so nothing is restarted or installed on its own. Fix"
          + " the cause, then run 'updater install --repair --home " + home + "' (restarts and"
          + " checks " + live + " again), 'updater rollback --home " + home + " --version V' (a"
          + " kept release under " + home.resolve("releases") + "), or 'updater install --home "
          + home + " --version V ...'; any of them that succeeds ends this state, and " + clear
          + ".";
    }
    boolean rolledBack = last.map(h -> h.outcome() == HistoryEntry.Outcome.ROLLED_BACK)
        .orElse(false);
    if (rolledBack) {
      return "The install is already back: " + live + " is live, so there is nothing to roll"
          + " back. Fix the cause and install again; " + clear + ".";
    }
    return live + " is live (the failed operation switched nothing). Fix the cause and run it"
        + " again; " + clear + ".";
  }

  /**
   * The publisher's revocation of the installed release, first and prominently, with what to do;
   * nothing when it is not revoked.
   */
  static void printRevoked(PrintStream out, Path home, Optional<Revocation> revoked) {
    revoked.ifPresent(r -> {
      out.println("REVOKED:   the installed " + r.version() + " was revoked by its publisher on "
          + r.revokedAt() + ": " + r.reason());
      out.println("           Install a newer release, or go back to a kept one with 'updater"
          + " rollback --home " + home + " --version V'.");
    });
  }

  /** Adds {@code revoked} to a JSON report as {@code revoked} (null when not revoked). */
  static void jsonRevoked(JsonReport j, Optional<Revocation> revoked) {
    if (revoked.isEmpty()) {
      j.node().putNull("revoked");
      return;
    }
    j.node().putObject("revoked").put("version", revoked.get().version().toString())
        .put("reason", revoked.get().reason())
        .put("revokedAt", revoked.get().revokedAt().toString());
  }

  /**
   * {@code " (passed over quarantined 1.1.0)"} for an "up to date" line when checks skipped
   * quarantined releases on the channel, else nothing.
   */
  static String passedOver(List<QuarantinedRelease> quarantined) {
    if (quarantined.isEmpty()) {
      return "";
    }
    return " (passed over quarantined " + String.join(", ", quarantined.stream()
        .map(q -> q.version().toString()).toList()) + ": see below)";
  }

  /** One line per quarantined release, and what an operator can do about them. */
  static void printQuarantined(PrintStream out, Path home, List<QuarantinedRelease> quarantined) {
    for (QuarantinedRelease q : quarantined) {
      out.println("quarantined: " + q.version() + " (rolled back " + q.at() + "): " + q.reason());
    }
    if (!quarantined.isEmpty()) {
      out.println("A quarantined release is not offered again: 'updater install --version V' "
          + "installs it anyway, 'updater unquarantine --home " + home + " --version V' offers "
          + "it again.");
    }
  }

  /** The home, which must exist: the commands that read it do not create one. */
  static Path existingHome(Args args) throws CliException {
    Path home = Installs.home(args);
    if (!Files.isDirectory(home)) {
      throw CliException.failed(Exit.FAILED, "--home " + home + " is not a directory; give the "
          + "home of an install, or create one with 'updater install --home " + home
          + " --source ...'", null);
    }
    return home;
  }

  private static String text(Optional<Version> v) {
    return v.map(Version::toString).orElse("(none)");
  }

  /** Used by the commands that only need an updater on an existing home. */
  static Updater local(Args args, Env env) throws CliException {
    return Installs.local(existingHome(args), env);
  }
}
