package dev.updater.cli;

import dev.updater.core.HistoryEntry;
import dev.updater.core.Layout;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.activate.PointerActivator;
import dev.updater.core.activate.SingleFileActivator;
import dev.updater.core.spi.Activator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The layout checks of {@code updater doctor}: the home an install lives in. */
final class DoctorLayout {
  private DoctorLayout() {}

  /** Checks the home, its 'current' link, state directory, free space and journal. */
  static void check(Path home, Env env, DoctorReport report) {
    Layout layout = Layout.of(home);
    if (!Files.isDirectory(home)) {
      report.fail("layout", "home " + home + " is not a directory",
          "give the home of an install with --home, or create one with 'updater install --home "
              + home + " --source URI --trust PUBFILE'");
      return;
    }
    report.ok("layout", "home " + home + " exists");
    if (!otherLayout(layout, report)) {
      currentLink(layout, report);
    }
    stateDirectory(layout, report);
    freeSpace(home, report);
    journal(home, env, report);
  }

  /**
   * Checks a home installed with {@code --layout single-file} or {@code --layout pointer}, which
   * has no 'current' link; false for a home of the default layout.
   */
  private static boolean otherLayout(Layout layout, DoctorReport report) {
    Activator activator;
    try {
      activator = Layouts.recordedActivator(layout).orElse(null);
    } catch (UpdateException e) {
      report.fail("layout", e.getMessage(), "restore the record from a backup, or install again "
          + "with --layout");
      return true;
    }
    if (activator == null) {
      return false;
    }
    String name = activator instanceof PointerActivator pointer
        ? "the pointer file " + pointer.pointer()
        : "the single file " + ((SingleFileActivator) activator).target();
    try {
      Optional<Version> live = activator.active();
      if (live.isPresent()) {
        report.ok("layout", name + " names release " + live.get());
      } else {
        report.fail("layout", name + " names no live release", "install one with 'updater "
            + "install --home " + layout.home() + " ...'");
      }
    } catch (IOException | RuntimeException e) {
      report.fail("layout", "cannot read the live release from " + name + ": " + e,
          "check the home's files and their permissions");
    }
    return true;
  }

  private static void currentLink(Layout layout, DoctorReport report) {
    Path current = layout.current();
    List<String> releases = releaseNames(layout);
    String relink = releases.isEmpty()
        ? "install a release with 'updater install --home " + layout.home() + " --source URI "
            + "--trust PUBFILE'"
        : "point it at the release that ran: ln -sfn releases/" + releases.get(releases.size() - 1)
            + " " + current + " (releases present: " + String.join(", ", releases) + "), then "
            + "run 'updater install --repair --home " + layout.home() + "'";
    if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
      report.fail("layout", "the 'current' link " + current + " is missing: no release is live",
          relink);
      return;
    }
    if (!Files.isSymbolicLink(current)) {
      report.fail("layout", current + " is not a symbolic link",
          "move it away and " + relink);
      return;
    }
    Path target;
    try {
      target = Files.readSymbolicLink(current);
    } catch (IOException e) {
      report.fail("layout", "cannot read the link " + current + ": " + e, "check its permissions");
      return;
    }
    Path resolved = current.getParent().resolve(target).normalize();
    Path releasesDir = layout.releases().normalize();
    if (!resolved.startsWith(releasesDir) || resolved.equals(releasesDir)
        || !resolved.getParent().equals(releasesDir)) {
      report.fail("layout", "'current' points to " + target + ", not to a release in "
          + layout.releases(), relink);
    } else if (!Files.isDirectory(resolved)) {
      report.fail("layout", "'current' points to " + target + ", which does not exist", relink);
    } else {
      report.ok("layout", "'current' -> " + target);
    }
  }

  private static List<String> releaseNames(Layout layout) {
    if (!Files.isDirectory(layout.releases())) {
      return List.of();
    }
    List<Version> versions = new ArrayList<>();
    try (Stream<Path> list = Files.list(layout.releases())) {
      list.filter(Files::isDirectory).forEach(p -> {
        try {
          versions.add(Version.parse(p.getFileName().toString()));
        } catch (IllegalArgumentException ignored) {
          // not a release directory (a staging leftover, say)
        }
      });
    } catch (IOException e) {
      return List.of();
    }
    versions.sort(null);
    return versions.stream().map(Version::toString).toList();
  }

  private static void stateDirectory(Layout layout, DoctorReport report) {
    Path state = layout.state();
    if (!Files.isDirectory(state)) {
      report.fail("layout", "the state directory " + state + " is missing: the journal, lock "
          + "and trust state live there",
          "install into this home with 'updater install' (it creates it), or give the right "
              + "--home");
      return;
    }
    if (!Files.isWritable(state)) {
      report.fail("layout", state + " is not writable by this user",
          "run as the install's owner, or: chown -R <owner> " + state + " && chmod u+rwx " + state);
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(state);
      if (perms.contains(PosixFilePermission.OTHERS_WRITE)
          || perms.contains(PosixFilePermission.GROUP_WRITE)) {
        report.fail("layout", state + " is writable by group or others: they could change the "
            + "journal and the trust state", "chmod go-w " + state);
        return;
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: writability is all that can be checked
    }
    report.ok("layout", state + " is writable by this user only");
  }

  private static void freeSpace(Path home, DoctorReport report) {
    try {
      java.nio.file.FileStore store = Files.getFileStore(home);
      long need = Math.max(Updater.Builder.DEFAULT_MIN_FREE_BYTES,
          (long) (Updater.Builder.DEFAULT_FREE_SPACE_RESERVE * store.getTotalSpace()));
      long free = store.getUsableSpace();
      if (free < need) {
        report.fail("layout", "only " + mb(free) + " free on the file system of " + home
            + "; an update keeps at least " + mb(need) + " free (the larger of 150 MB and 5 % of"
            + " the file system), besides the release it installs",
            "free space there, for example by removing old releases/ directories other than the "
                + "live and the previous one");
      } else {
        report.ok("layout", mb(free) + " free on the file system of " + home);
      }
    } catch (IOException e) {
      report.fail("layout", "cannot read the free space of " + home + ": " + e,
          "check that the file system is mounted and readable");
    }
  }

  private static void journal(Path home, Env env, DoctorReport report) {
    UpdateStatus s;
    Optional<HistoryEntry> last;
    try {
      Updater updater = Installs.local(home, new Env(DoctorReport.NULL, DoctorReport.NULL,
          env.clock()));
      s = updater.status();
      last = StatusCommand.lastOperation(updater, s);
    } catch (UpdateException e) {
      report.fail("layout", "the journal cannot be read: " + e.reason() + ": " + e.getMessage(),
          "see docs/activation-and-locking.md; 'updater install --repair --home " + home
              + "' rewrites it for the live release");
      return;
    }
    if (s.needsOperator() && s.error().isPresent()) {
      UpdateStatus.Failure f = s.error().get();
      report.fail("layout", "no release is known to work (needs an operator): " + f.reason()
          + ": " + f.message(), StatusCommand.advice(s, home, last));
    } else if (s.state() == UpdateStatus.State.FAILED && s.error().isPresent()) {
      UpdateStatus.Failure f = s.error().get();
      report.fail("layout", "the last operation failed: " + f.reason() + ": " + f.message(),
          StatusCommand.advice(s, home, last));
    } else {
      report.ok("layout", "journal: installed " + s.installed().map(Version::toString)
          .orElse("(none)") + ", state " + s.state().name().toLowerCase(Locale.ROOT));
    }
  }


  private static String mb(long bytes) {
    return (bytes / (1024 * 1024)) + " MB";
  }
}
