package dev.updater.cli;

import dev.updater.core.Layout;
import dev.updater.core.Platform;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.activate.PointerActivator;
import dev.updater.core.activate.SingleFileActivator;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.spi.Activator;
import dev.updater.core.stage.SingleFileStager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a home's releases go live, from {@code install}'s {@code --layout} and {@code --target}:
 * {@code symlink} (the default: {@code current} points at {@code releases/<version>}), {@code
 * pointer} ({@code current.txt} names the live version) or {@code single-file} (the release is one
 * file, installed at {@code --target}, the previous kept as {@code .bak}). A home is recognised by
 * its single-file record in {@code .updater/} or its pointer file, so later commands need neither
 * option.
 */
final class Layouts {
  static final Set<String> OPTIONS = Set.of("--layout", "--target", "--platform");
  static final String HELP = String.join("\n",
      "  --layout NAME     how releases go live: symlink (default: HOME/current links to",
      "                    releases/<version>), pointer (HOME/current.txt names the live",
      "                    version, for file systems without symbolic links) or single-file",
      "                    (the artifact is one binary or jar, installed at --target; the",
      "                    previous one is kept as FILE.bak). A home keeps its layout: later",
      "                    commands need neither option",
      "  --target FILE     with --layout single-file: where the live file is, such as",
      "                    /usr/local/bin/myapp (its directory must exist)",
      "  --platform P      take the artifact built for P (<os>-<arch>, such as linux-aarch64)",
      "                    from a release with one per platform; default this machine's, "
          + Platform.current());

  private Layouts() {}

  /** Sets the stager and activator the options (or the home's record) name. */
  static void configure(Args args, Path home, List<String> shared, Updater.Builder builder)
      throws CliException {
    Optional<String> platform = args.value("--platform");
    if (platform.isPresent()) {
      try {
        builder.platform(Platform.parse(platform.get()));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--platform: " + e.getMessage());
      }
    }
    Layout layout = Layout.of(home);
    Optional<String> name = args.value("--layout");
    Optional<String> target = args.value("--target");
    Optional<SingleFileActivator> recorded = recordedSingleFile(layout);
    String chosen = name.orElse(recorded.isPresent() ? "single-file"
        : PointerActivator.isPointerHome(layout) ? "pointer" : "symlink");
    if (!List.of("symlink", "pointer", "single-file").contains(chosen)) {
      throw CliException.usage("--layout " + chosen
          + " is not a layout; give symlink, pointer or single-file");
    }
    if (target.isPresent() && !chosen.equals("single-file")) {
      throw CliException.usage("--target is for --layout single-file; a " + chosen + " layout "
          + "installs into HOME/releases");
    }
    switch (chosen) {
      case "symlink" -> {
        try {
          builder.activator(SymlinkActivator.builder(layout)
              .shared(shared.toArray(String[]::new)).build());
        } catch (IllegalArgumentException e) {
          throw CliException.usage("--shared: " + e.getMessage());
        }
      }
      case "single-file" -> {
        if (!shared.isEmpty()) {
          throw CliException.usage("--shared links paths into release directories; a "
              + "single-file layout has none, so leave it out");
        }
        Path file = target.isPresent() ? Installs.path(target.get(), "--target")
            : recorded.map(SingleFileActivator::target).orElseThrow(() -> CliException.usage(
                "--layout single-file needs --target FILE: where the live file is, such as "
                    + "--target /usr/local/bin/myapp"));
        try {
          builder.stager(SingleFileStager.create())
              .activator(SingleFileActivator.builder(layout, file).build());
        } catch (IllegalArgumentException e) {
          throw CliException.usage("--target: " + e.getMessage());
        }
      }
      case "pointer" -> {
        if (!shared.isEmpty()) {
          throw CliException.usage("--shared links paths into releases, which needs symbolic "
              + "links; with --layout pointer the application finds HOME/shared itself");
        }
        builder.activator(PointerActivator.create(layout));
      }
      default -> throw new IllegalStateException("unknown layout " + chosen);
    }
  }

  /**
   * Sets the activator of the home's record on {@code builder} for the commands that take no
   * layout options (status, rollback, history, ...); the default otherwise.
   */
  static Updater.Builder recorded(Path home, Updater.Builder builder) {
    Layout layout = Layout.of(home);
    Optional<SingleFileActivator> singleFile = recordedSingleFile(layout);
    if (singleFile.isPresent()) {
      builder.stager(SingleFileStager.create()).activator(singleFile.get());
    } else if (PointerActivator.isPointerHome(layout)) {
      builder.activator(PointerActivator.create(layout));
    }
    return builder;
  }

  /**
   * The activator a home's files say it was installed with: single-file or pointer; empty for the
   * default layout.
   */
  static Optional<Activator> recordedActivator(Layout layout) {
    Optional<SingleFileActivator> singleFile = recordedSingleFile(layout);
    if (singleFile.isPresent()) {
      return Optional.of(singleFile.get());
    }
    return PointerActivator.isPointerHome(layout) ? Optional.of(PointerActivator.create(layout))
        : Optional.empty();
  }

  private static Optional<SingleFileActivator> recordedSingleFile(Layout layout) {
    try {
      return SingleFileActivator.recorded(layout);
    } catch (IOException e) {
      throw new UpdateException(UpdateException.Reason.INVALID_LAYOUT, e.getMessage());
    }
  }
}
