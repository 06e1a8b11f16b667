package dev.updater.cli;

import dev.updater.core.Layout;
import dev.updater.core.SymlinkActivator;
import dev.updater.core.TrustedKeys;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.spi.ReleaseSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The parts the home-based commands share: the common options ({@code --home}, {@code --source},
 * {@code --trust}, {@code --unsigned}, {@code --channel}, {@code --shared}), building the {@link
 * Updater} from them, printing progress as plain lines, and turning an {@link UpdateException} into
 * a message and an exit code.
 */
final class Installs {
  static final Set<String> SOURCE_OPTIONS = Set.of("--home", "--source", "--trust", "--channel");
  static final String SOURCE_HELP = String.join("\n",
      "  --home DIR        the install's home: releases/, current, shared/, .updater/",
      "  --source SOURCE   the update repository: https://host/path/, http://..., file:///dir,",
      "                    a directory path, or github:owner/repo?asset=NAME-{version}.tar.gz",
      "  --trust PUBFILE   a publisher's public key (from 'updater keygen' or minisign -G); the",
      "                    channel index must be signed by it. Repeat to trust several keys",
      "                    (key rotation)",
      "  --unsigned        accept an index without checking its signature (a trusted directory",
      "                    only); needed when no --trust is given",
      "  --channel NAME    the channel to follow (default: stable)");

  private Installs() {}

  /** The home directory from {@code --home}. */
  static Path home(Args args) throws CliException {
    return path(args.required("--home", "DIR: the install's home directory"), "--home");
  }

  /** A path argument, or a usage error naming the option. */
  static Path path(String value, String option) throws CliException {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw CliException.usage(option + " " + value + " is not a valid path: " + e.getMessage());
    }
  }

  /** The source from {@code --source}, {@code --trust} and {@code --unsigned}. */
  static ReleaseSource source(Args args) throws CliException {
    String source = args.required("--source", "SOURCE: the update repository (URL or directory)");
    List<String> trust = args.values("--trust");
    boolean unsigned = args.flag("--unsigned");
    if (trust.isEmpty() && !unsigned) {
      throw CliException.usage("missing --trust PUBFILE: give the publisher's public key so the "
          + "index signature is checked, or --unsigned to trust the source as it is");
    }
    if (!trust.isEmpty() && unsigned) {
      throw CliException.usage("--trust and --unsigned contradict each other; give one");
    }
    Optional<TrustedKeys> keys = Optional.empty();
    if (!trust.isEmpty()) {
      List<Path> files = new ArrayList<>();
      for (String t : trust) {
        files.add(path(t, "--trust"));
      }
      try {
        keys = Optional.of(TrustedKeys.read(files.toArray(Path[]::new)));
      } catch (NoSuchFileException e) {
        throw CliException.badArgument("--trust " + e.getFile() + " does not exist; give the "
            + ".pub file written by 'updater keygen' (or minisign -G)", e);
      } catch (IOException e) {
        throw CliException.badArgument("cannot read the --trust file: " + e, e);
      } catch (IllegalArgumentException e) {
        throw CliException.badArgument("--trust: " + e.getMessage() + "; give the .pub file "
            + "written by 'updater keygen' (or minisign -G), not the secret key", e);
      }
    }
    return Sources.standard().open(source, keys);
  }

  /**
   * An updater on {@code home} reading {@code source}, on the command's clock, printing progress to
   * its output.
   */
  static Updater updater(Args args, Path home, ReleaseSource source, Env env)
      throws CliException {
    Updater.Builder builder = Updater.builder().home(home).source(source).clock(env.clock())
        .listener(new PhasePrinter(env.out()));
    Optional<String> channel = args.value("--channel");
    if (channel.isPresent()) {
      try {
        builder.channel(channel.get());
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--channel: " + e.getMessage());
      }
    }
    List<String> shared = new ArrayList<>();
    for (String list : args.values("--shared")) {
      for (String p : list.split(",")) {
        if (!p.isBlank()) {
          shared.add(p.trim());
        }
      }
    }
    try {
      builder.activator(SymlinkActivator.builder(Layout.of(home))
          .shared(shared.toArray(String[]::new)).build());
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--shared: " + e.getMessage());
    }
    return builder.build();
  }

  /** An updater on {@code home} for the commands that read no source. */
  static Updater local(Path home, Env env) {
    return Updater.builder().home(home).source(Sources.none()).clock(env.clock())
        .listener(new PhasePrinter(env.out())).build();
  }

  /** The failure as a message and an exit code, with a hint for what to do where core has none. */
  static CliException failure(UpdateException e) {
    String step = e.step().map(s -> " in step " + s.name().toLowerCase(Locale.ROOT)).orElse("");
    String message = e.reason() + step + ": " + e.getMessage() + hint(e.reason());
    return CliException.failed(Exit.forReason(e.reason()), message, e);
  }

  private static String hint(UpdateException.Reason reason) {
    switch (reason) {
      case LOCKED:
        return "\nAnother update, rollback or repair is running on this home; wait for it to end."
            + " A lock left by a crashed process expires after 1 hour.";
      case VERIFICATION_FAILED:
        return "\nNothing was installed. Check that --trust names the publisher's key and that the"
            + " repository was not changed after it was signed; the publisher can re-publish to"
            + " re-sign it.";
      case DOWNGRADE_REFUSED:
        return "\nTo install an older release on purpose, name it with --version and add"
            + " --downgrade.";
      case SOURCE_UNAVAILABLE:
        return "\nCheck the --source location and the network, then try again.";
      default:
        return "";
    }
  }

  /** Prints each step of an operation as one plain line, such as {@code [downloading] verify}. */
  static final class PhasePrinter implements dev.updater.core.UpdateListener {
    private final PrintStream out;
    private long downloaded = -1;

    PhasePrinter(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onEvent(UpdateEvent event) {
      if (event instanceof UpdateEvent.Started s) {
        out.println("[checking] " + s.operation().name().toLowerCase(Locale.ROOT) + " "
            + s.to() + s.from().map(f -> " (installed: " + f + ")").orElse(" (first install)"));
      } else if (event instanceof UpdateEvent.StepStarted s) {
        out.println("[" + s.phase().statusName() + "] " + stepName(s.step()) + " " + s.target());
      } else if (event instanceof UpdateEvent.Progress p) {
        downloaded = p.done();
      } else if (event instanceof UpdateEvent.StepCompleted c
          && c.step() == dev.updater.core.Step.DOWNLOAD && downloaded >= 0) {
        out.println("[downloading] " + downloaded + " bytes");
        downloaded = -1;
      } else if (event instanceof UpdateEvent.RolledBack r) {
        out.println("[rolled back] " + r.from() + " -> "
            + r.to().map(Object::toString).orElse("(none)") + ": " + r.why());
      } else if (event instanceof UpdateEvent.Completed c) {
        out.println("[complete] " + c.to());
      } else if (event instanceof UpdateEvent.Failed f) {
        out.println("[error] " + f.error().reason());
      }
    }

    private static String stepName(dev.updater.core.Step step) {
      return step.name().toLowerCase(Locale.ROOT);
    }
  }
}
