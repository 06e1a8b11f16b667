package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.spi.ReleaseSource;
import dev.updater.testkit.FaultyFileSystem;
import dev.updater.testkit.InMemoryLockStore;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Power cuts at the writes of one operation on the fault-injecting file system, for {@link
 * PowerLossTest} and {@link FsyncNecessityTest}: the operation runs once to list its writes, then
 * once per chosen write on a fresh copy of the starting disk with the power cut there; the
 * rebooted install is recovered and must hold exactly one of two releases, byte for byte and mode
 * for mode, with a journal that says which. Test use only; not thread-safe.
 */
final class PowerCuts {
  static final String HOME = "/srv/app";

  /** An operation of the updater under test. */
  interface Operation {
    void run(Updater updater);
  }

  /** A check of the rebooted, recovered install, which holds {@code live}. */
  interface Then {
    void check(FaultyFileSystem rebooted, String live) throws IOException;
  }

  final DeltaRepository repo;
  final Release r1;
  final Release r2;
  private final boolean objects;

  /**
   * Publishes 1.0.0 and 1.1.0 (a changed configuration and version, six unchanged library files)
   * into {@code repo}; installs take the delta path when {@code objects}, else the archive.
   */
  PowerCuts(DeltaRepository repo, boolean objects) throws IOException {
    this.repo = repo;
    this.objects = objects;
    this.r1 = repo.publish("1.0.0", tree("1.0.0"));
    this.r2 = repo.publish("1.1.0", tree("1.1.0"));
  }

  /** A disk holding a home where {@code setup} ran, all of it durable. */
  FaultyFileSystem start(Operation setup) throws IOException {
    FaultyFileSystem disk = FaultyFileSystem.inMemory();
    setup.run(updater(Files.createDirectories(disk.path(HOME))));
    disk.markDurable();
    return disk;
  }

  /** The writes {@code operation} makes from {@code start}, in order. */
  List<String> writes(FaultyFileSystem start, Operation operation) throws IOException {
    return dryRun(start, operation).writes();
  }

  /**
   * What an operation does without a power cut: its writes, its writes and forces in order, and
   * the status before and after.
   */
  record DryRun(List<String> writes, List<String> events, UpdateStatus before,
      UpdateStatus after) {

    /**
     * The last write before each force, the last write, and one past it (the power lost once the
     * operation has returned, when its last forces are done): every cut between two forces leaves
     * the same durable tree, so these cover every tree a power cut can leave.
     */
    List<Integer> onePerDurableState() {
      List<Integer> cuts = new ArrayList<>();
      int write = 0;
      for (int i = 0; i < events.size(); i++) {
        if (events.get(i).startsWith("write: ")) {
          write++;
          boolean beforeForce = i + 1 < events.size() && events.get(i + 1).startsWith("force: ");
          if (beforeForce || write == writes.size()) {
            cuts.add(write);
          }
        }
      }
      cuts.add(writes.size() + 1);
      return cuts;
    }

    /** Every write. */
    List<Integer> everyWrite() {
      List<Integer> cuts = new ArrayList<>();
      for (int k = 1; k <= writes.size() + 1; k++) { // and once the operation has returned
        cuts.add(k);
      }
      return cuts;
    }
  }

  DryRun dryRun(FaultyFileSystem start, Operation operation) throws IOException {
    try (FaultyFileSystem dry = start.afterPowerCut()) {
      UpdateStatus before = updater(dry.path(HOME)).status();
      operation.run(updater(dry.path(HOME)));
      return new DryRun(dry.writeLog(), dry.events(), before, updater(dry.path(HOME)).status());
    }
  }

  /**
   * Cuts the power at each write {@code chosen} picks (1-based numbers) from the dry run, with the
   * forces of the paths {@code forgotten} accepts doing nothing, and checks each reboot.
   *
   * @return how many cuts left each version live
   */
  Map<String, Integer> cut(FaultyFileSystem start, Operation operation,
      Function<DryRun, List<Integer>> chosen, Predicate<String> forgotten, Then then)
      throws IOException {
    DryRun dry = dryRun(start, operation);
    return cut(start, operation, dry, chosen.apply(dry), forgotten, then);
  }

  private Map<String, Integer> cut(FaultyFileSystem start, Operation operation, DryRun dry,
      List<Integer> chosen, Predicate<String> forgotten, Then then) throws IOException {
    List<String> writes = dry.writes();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int k : chosen) {
      boolean afterTheEnd = k > writes.size();
      String what = afterTheEnd ? "power lost after the operation's " + writes.size() + " writes"
          : "power cut at write " + k + " of " + writes.size() + " (" + writes.get(k - 1) + ")";
      try (FaultyFileSystem disk = start.afterPowerCut()) {
        disk.forgetForces(forgotten);
        if (!afterTheEnd) {
          disk.cutPowerAtWrite(k);
        }
        try {
          operation.run(updater(disk.path(HOME)));
        } catch (UpdateException expected) {
          // the machine died: what the process saw does not matter
        }
        assertThat(disk.powerCut().isPresent()).as(what).isEqualTo(!afterTheEnd);
        try (FaultyFileSystem rebooted = disk.afterPowerCut()) {
          String live = recoverAndCheck(rebooted, dry, what);
          outcomes.merge(live, 1, Integer::sum);
          then.check(rebooted, live);
        }
      }
    }
    return outcomes;
  }

  /**
   * Like {@link #cut}, one cut per durable state from the last, but returns the first cut that
   * breaks the install (and how) instead of failing.
   */
  Optional<String> firstBreak(FaultyFileSystem start, Operation operation,
      Predicate<String> forgotten) throws IOException {
    DryRun dry = dryRun(start, operation);
    List<Integer> cuts = new ArrayList<>(dry.onePerDurableState());
    java.util.Collections.reverse(cuts);
    for (int k : cuts) {
      try {
        cut(start, operation, dry, List.of(k), forgotten, (disk, live) -> { });
      } catch (AssertionError | IOException | RuntimeException broken) {
        return Optional.of((k > dry.writes().size() ? "after the end" : "write " + k + " ("
            + dry.writes().get(k - 1) + ")") + ": " + broken);
      }
    }
    return Optional.empty();
  }

  /**
   * Recovers the rebooted install; checks its live tree, and that its journal says which release
   * is live and holds the rollback target that goes with it (as the operation left it when it
   * completed, or as it was before); returns the version.
   */
  String recoverAndCheck(FaultyFileSystem rebooted, DryRun dry, String what) throws IOException {
    Updater updater = updater(rebooted.path(HOME));
    updater.recover();
    String live = assertLive(rebooted, Optional.empty(), what);
    UpdateStatus status = updater.status();
    assertThat(status.error().map(UpdateStatus.Failure::message).orElse(""))
        .as("%s: recovery read the journal", what).doesNotContain("journal was unreadable");
    UpdateStatus expected = dry.after().installed().equals(status.installed()) ? dry.after()
        : dry.before();
    assertThat(status.previous()).as("%s: the journal's rollback target", what)
        .isEqualTo(expected.previous());
    assertThat(status.installed()).as("%s: the journal's live release", what)
        .contains(Version.parse(live));
    assertThat(status.state()).as("%s: the journal's state (%s)", what, status)
        .isIn(UpdateStatus.State.COMPLETE, UpdateStatus.State.FAILED);
    if (status.state() == UpdateStatus.State.COMPLETE) {
      assertThat(status.target()).as("%s: the journal's last operation", what)
          .contains(Version.parse(live));
    }
    return live;
  }

  /** Checks that {@code current} holds exactly one release's tree; returns its version. */
  static String assertLive(FaultyFileSystem disk, Optional<String> expected, String what)
      throws IOException {
    Path home = disk.path(HOME);
    Path current = home.resolve("current");
    assertThat(Files.isSymbolicLink(current)).as("%s: current is a link", what).isTrue();
    String link = Files.readSymbolicLink(current).toString();
    assertThat(link).as(what).startsWith("releases/");
    String version = link.substring("releases/".length());
    expected.ifPresent(v -> assertThat(version).as(what).isEqualTo(v));
    assertThat(files(home.resolve(link))).as("%s: the tree of %s", what, version)
        .isEqualTo(expectedFiles(version));
    return version;
  }

  /**
   * An updater as a new process would build it. Each gets a lock store of its own: the file lock
   * of a process that lost its power is taken over because that process no longer runs, but
   * here every "process" is this JVM, which would look alive.
   */
  Updater updater(Path home) {
    ReleaseSource source = objects ? repo.directorySource() : new ArchivesOnly(
        repo.directorySource());
    return Updater.builder().home(home).source(source).freeSpace(0, 0).freeSpaceReserve(0)
        .checkCacheTtl(Duration.ZERO).lockStore(InMemoryLockStore.create()).build();
  }

  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return files;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          files.put(root.relativize(p).toString(), PosixFilePermissions.toString(
              Files.getPosixFilePermissions(p)) + " " + Files.readString(p));
        }
      }
    }
    return files;
  }

  private static Map<String, String> expectedFiles(String version) {
    Map<String, String> files = new TreeMap<>();
    contents(version).forEach((name, content) -> files.put(name,
        (name.startsWith("bin/") ? "rwxr-xr-x " : "rw-r--r-- ") + content));
    return files;
  }

  private static Map<String, String> contents(String version) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("VERSION", version);
    files.put("bin/app", "#!/bin/sh\necho app " + version + "\n");
    files.put("conf/app.conf", "port=8080\nversion=" + version + "\n");
    for (int i = 0; i < 6; i++) {
      files.put("lib/part" + i + ".txt", "unchanged library part " + i + "\n".repeat(50));
    }
    return files;
  }

  private static Consumer<RawArchives.Tar> tree(String version) {
    return tar -> contents(version).forEach((name, content) ->
        tar.file(name, content, name.startsWith("bin/") ? 0755 : 0644));
  }

  /** A source that serves no per-file objects, so every install downloads the archive. */
  private record ArchivesOnly(ReleaseSource delegate) implements ReleaseSource {
    @Override public ReleaseIndex index(String channel) throws IOException {
      return delegate.index(channel);
    }

    @Override public InputStream open(Artifact artifact, long offset) throws IOException {
      return delegate.open(artifact, offset);
    }
  }
}
