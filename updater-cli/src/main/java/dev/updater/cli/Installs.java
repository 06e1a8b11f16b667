package dev.updater.cli;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.source.SourceSettings;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateListener;
import dev.updater.core.Updater;
import dev.updater.core.spi.ReleaseSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.InvalidPathException;
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
  static final Set<String> SOURCE_OPTIONS = Set.of("--home", "--source", "--trust", "--channel",
      "--application", "--trust-root", "--root-threshold");
  static final String SOURCE_HELP = String.join("\n",
      "  --home DIR        the install's home: releases/, current, shared/, .updater/",
      "  --source SOURCE   the update repository: https://host/path/, http://..., file:///dir,",
      "                    a directory path, or github:owner/repo?asset=NAME-{version}.tar.gz",
      SourceTrust.HELP,
      "  --channel NAME    the channel to follow (default: stable)",
      "  --application NAME  refuse an index published for another application (the name",
      "                    'updater publish --application' wrote; by default any is read)",
      "  --source and --trust (or --trust-root), once the source was read and verified, are",
      "  remembered in HOME/.updater/source.json: later commands in that home may leave them",
      "  out (a flag given always wins; --unsigned is never remembered).");

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

  /**
   * The source from {@code --source}, {@code --trust} and {@code --unsigned}. An option left out
   * is taken from the settings remembered in the home ({@code .updater/source.json}); an option
   * given always wins. The source and key files used are remembered in the home once the source's
   * index has been read and verified (never {@code --unsigned} as such: a remembered source
   * without keys still needs {@code --trust} or {@code --unsigned} next time).
   */
  static ReleaseSource source(Args args) throws CliException {
    Path home = home(args);
    Optional<String> sourceText = args.value("--source");
    if (sourceText.isPresent() && sourceText.get().isEmpty()) {
      throw CliException.usage("option --source needs a non-empty value: SOURCE: the update "
          + "repository (URL or directory)");
    }
    boolean allGiven = !args.values("--trust").isEmpty() || !args.values("--trust-root").isEmpty()
        || args.flag("--unsigned");
    Optional<SourceSettings> stored;
    try {
      stored = SourceSettings.read(home);
    } catch (UpdateException e) {
      if (sourceText.isEmpty() || !allGiven) {
        throw CliException.badArgument(e.getMessage(), e);
      }
      stored = Optional.empty(); // every option is given: the broken file is replaced
    }
    URI location;
    if (sourceText.isPresent()) {
      location = Sources.location(sourceText.get());
    } else if (stored.isPresent()) {
      location = stored.get().source();
    } else {
      throw CliException.usage("missing --source SOURCE: the update repository (URL or "
          + "directory); none is remembered in " + SourceSettings.file(home));
    }
    SourceTrust trust = SourceTrust.of(args, stored);
    ReleaseSource source = Sources.standard().open(location, trust.keys(), trust.root());
    SourceSettings used = trust.settings(new SourceSettings(location, List.of(),
        stored.flatMap(SourceSettings::channel)));
    return new Remembering(source, home, used, stored);
  }

  /**
   * A source that remembers, in the home, the settings it was opened with once its index has been
   * read and verified (a wrong {@code --source} or {@code --trust} is never remembered).
   */
  private static final class Remembering implements ReleaseSource {
    private final ReleaseSource delegate;
    private final Path home;
    private final SourceSettings used;
    private Optional<SourceSettings> stored;

    Remembering(ReleaseSource delegate, Path home, SourceSettings used,
        Optional<SourceSettings> stored) {
      this.delegate = delegate;
      this.home = home;
      this.used = used;
      this.stored = stored;
    }

    @Override
    public ReleaseIndex index(String channel) throws IOException {
      ReleaseIndex index = delegate.index(channel);
      remember();
      return index;
    }

    /** Writes the settings when they differ; an unwritable home fails the command (IO_ERROR). */
    private synchronized void remember() {
      if (!stored.equals(Optional.of(used))) {
        used.write(home);
        stored = Optional.of(used);
      }
    }

    @Override
    public InputStream open(Artifact artifact, long offset) throws IOException {
      return delegate.open(artifact, offset);
    }

    @Override
    public Opened resume(Artifact artifact, long offset, Optional<String> validator)
        throws IOException {
      return delegate.resume(artifact, offset, validator);
    }

    @Override
    public Opened openPart(Artifact artifact, long offset, long length) throws IOException {
      return delegate.openPart(artifact, offset, length);
    }

    @Override
    public boolean servesObjects() {
      return delegate.servesObjects();
    }

    @Override
    public InputStream openObject(Release release, String sha256, long size) throws IOException {
      return delegate.openObject(release, sha256, size);
    }

    @Override
    public String describe() {
      return delegate.describe();
    }
  }

  /**
   * An updater on {@code home} reading {@code source}, on the command's clock, printing progress to
   * its output.
   */
  static Updater updater(Args args, Path home, ReleaseSource source, Env env)
      throws CliException {
    Updater.Builder builder = Updater.builder().home(home).source(source).clock(env.clock())
        .listener(progress(env));
    Optional<String> channel = args.value("--channel");
    if (channel.isPresent()) {
      try {
        builder.channel(channel.get());
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--channel: " + e.getMessage());
      }
    }
    Optional<String> application = args.value("--application");
    if (application.isPresent()) {
      try {
        builder.application(application.get());
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--application: " + e.getMessage());
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
    Layouts.configure(args, home, shared, builder);
    CommandHooks.add(args, builder);
    return builder.build();
  }

  /** An updater on {@code home} for the commands that read no source. */
  static Updater local(Path home, Env env) {
    return Layouts.recorded(home, Updater.builder().home(home).source(Sources.none())
        .clock(env.clock()).listener(progress(env))).build();
  }

  /**
   * Step and progress lines on standard error (so that standard output holds the result alone):
   * a bar on a terminal, plain lines otherwise, nothing with {@code --quiet}.
   */
  static UpdateListener progress(Env env) {
    return env.quiet() ? event -> { }
        : new ProgressPrinter(env.err(), env.terminal(), System::nanoTime);
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
        return "\nNothing was installed. Check that --trust names the publisher's key (or"
            + " --trust-root its root key) and that the repository was not changed after it was"
            + " signed; the publisher can re-publish to re-sign it.";
      case DOWNGRADE_REFUSED:
        return "\nTo install an older release on purpose, name it with --version and add"
            + " --downgrade.";
      case SOURCE_UNAVAILABLE:
        return "\nCheck the --source location and the network, then try again.";
      default:
        return "";
    }
  }
}
