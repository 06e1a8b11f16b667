package dev.updater.cli;

import dev.updater.core.QuarantinedRelease;
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
    try {
      s = updater.status();
      quarantined = updater.quarantined();
    } catch (UpdateException e) {
      throw Installs.failure(e);
    }
    env.json().ifPresent(j -> {
      j.status(s);
      j.version("target", s.target());
      j.node().put("updatedAt", s.updatedAt().map(Object::toString).orElse(null));
      j.quarantined(quarantined);
    });
    PrintStream out = env.out();
    out.println("installed: " + text(s.installed()));
    out.println("previous:  " + text(s.previous()));
    out.println("state:     " + s.state().name().toLowerCase(Locale.ROOT) + " (phase "
        + s.phase().statusName() + ")");
    s.target().ifPresent(t -> out.println("target:    " + t));
    s.updatedAt().ifPresent(t -> out.println("updated:   " + t));
    s.error().ifPresent(f -> {
      out.println("error:     " + f.reason()
          + f.step().map(st -> " in step " + st.name().toLowerCase(Locale.ROOT)).orElse("")
          + " at " + f.at());
      out.println("           " + f.message());
      out.println("Run 'updater rollback --home " + home + "' to go back"
          + (s.canRollBack() ? "" : " (no previous release is recorded)")
          + ", or 'updater clear-error --home " + home + "' to clear this status.");
    });
    printQuarantined(out, home, quarantined);
    return Exit.OK;
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
