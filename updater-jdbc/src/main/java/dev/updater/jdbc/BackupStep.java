package dev.updater.jdbc;

import dev.updater.core.Layout;
import dev.updater.core.UpdateContext;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.jdbc.internal.Commands;
import dev.updater.jdbc.internal.FileCopies;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up the shared data before every update, always and first (the {@code data/} directory
 * and any other configured shared path), and puts it back when the update fails after activation.
 *
 * <p>{@link #snapshot} runs in the {@code BACKUP} step, before activation: it copies each
 * configured shared path ({@code <home>/shared/data} ...) to
 * {@code <home>/backups/<yyyyMMdd'T'HHmmss.SSS'Z'>-<version>/shared/}, then runs the dump command,
 * if one is configured, with {@code UPDATER_BACKUP_DIR} set to the backup's directory, and keeps
 * only the newest {@code keep} backups (default 5). When anything fails, the half-made backup is
 * deleted and the exception stops the update before activation. When the update fails after
 * activation and the previous release is live again, {@link Check#restore()} puts every configured
 * path back byte for byte (files the migration added are deleted, changed and deleted files come
 * back) and runs the restore command, if configured.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(home)
 *     .source(source)
 *     .activator(SymlinkActivator.builder(layout).shared("data", "config").build())
 *     .guard(BackupStep.of(layout, "data"))
 *     .build();
 *
 * MigrationGuard withDump = BackupStep.builder(layout)
 *     .paths("data", "config")
 *     .keep(10)
 *     .dumpCommand("sh", "-c", "pg_dump -Fc \"$DATABASE_URL\" > \"$UPDATER_BACKUP_DIR/db.dump\"")
 *     .restoreCommand("sh", "-c",
 *         "pg_restore --clean --if-exists -d \"$DATABASE_URL\" \"$UPDATER_BACKUP_DIR/db.dump\"")
 *     .build();
 * }</pre>
 *
 * <p>Files are copied in full, never hard-linked: a hard link shares its content with the live
 * file, so a database file that SQLite or the application changes in place would change the
 * "backup" too. Copies cost space and time proportional to the data; see {@code docs/backups.md}.
 * The copy is not synchronised with writers: stop writes to the shared paths (or quiesce the
 * application) for the update, or back a live database up with its own dump command.
 *
 * <p>Immutable and thread-safe; backups of one home are made under the update lock.
 */
public final class BackupStep implements MigrationGuard {
  /** How many backups are kept unless {@link Builder#keep} says otherwise. */
  public static final int DEFAULT_KEEP = 5;
  /**
   * How long a dump or restore command may run unless {@link Builder#commandTimeout} says
   * otherwise.
   */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(30);

  private static final Logger LOG = LoggerFactory.getLogger(BackupStep.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String PARTIAL = ".partial";
  private static final String MANIFEST = "backup.properties";

  private final Layout layout;
  private final List<String> paths;
  private final int keep;
  private final List<String> dumpCommand;
  private final List<String> restoreCommand;
  private final Duration commandTimeout;
  private final Clock clock;

  private BackupStep(Builder b) {
    this.layout = b.layout;
    this.paths = List.copyOf(b.paths);
    this.keep = b.keep;
    this.dumpCommand = b.dumpCommand;
    this.restoreCommand = b.restoreCommand;
    this.commandTimeout = b.commandTimeout;
    this.clock = b.clock;
  }

  /** Backs up {@code paths} of {@code <home>/shared}, such as {@code "data"}; keeps 5 backups. */
  public static BackupStep of(Layout layout, String... paths) {
    return builder(layout).paths(paths).build();
  }

  /** A builder for backups of the install at {@code layout}. */
  public static Builder builder(Layout layout) {
    return new Builder(Objects.requireNonNull(layout, "layout"));
  }

  /** {@code <home>/backups}: where backups are kept. */
  public Path directory() {
    return layout.home().resolve("backups");
  }

  /** The complete backups, oldest first (their names start with their time). */
  public List<Path> backups() throws IOException {
    if (!Files.isDirectory(directory())) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(directory())) {
      return list.filter(p -> !p.getFileName().toString().endsWith(PARTIAL))
          .filter(p -> Files.isRegularFile(p.resolve(MANIFEST))).sorted().toList();
    }
  }

  @Override
  public Check snapshot(UpdateContext context) throws IOException, MigrationException {
    Objects.requireNonNull(context, "context");
    Path backup = backup(context.to().toString());
    return new Check() {
      @Override
      public void verify() {
        // the backup exists: nothing to measure
      }

      @Override
      public void restore() throws IOException, MigrationException {
        BackupStep.this.restore(backup);
      }
    };
  }

  /**
   * Makes a backup now, named after {@code label}, and prunes old ones.
   *
   * @return the backup's directory
   */
  public Path backup(String label) throws IOException, MigrationException {
    Objects.requireNonNull(label, "label");
    String name = STAMP.format(clock.instant()) + "-" + label.replaceAll("[^A-Za-z0-9._-]", "_");
    Files.createDirectories(directory());
    Path finished = directory().resolve(name);
    for (int i = 2; Files.exists(finished, LinkOption.NOFOLLOW_LINKS); i++) {
      finished = directory().resolve(name + "." + i);
    }
    Path partial = finished.resolveSibling(finished.getFileName() + PARTIAL);
    FileCopies.deleteTree(partial);
    try {
      Files.createDirectories(partial.resolve("shared"));
      Properties manifest = new Properties();
      for (String path : paths) {
        Path live = layout.shared().resolve(path);
        if (Files.exists(live, LinkOption.NOFOLLOW_LINKS)) {
          Path copy = partial.resolve("shared").resolve(path);
          Files.createDirectories(copy.getParent());
          FileCopies.copyTree(live, copy);
          manifest.setProperty("path." + path, "present");
        } else {
          manifest.setProperty("path." + path, "absent");
        }
      }
      manifest.setProperty("created", clock.instant().toString());
      if (!dumpCommand.isEmpty()) {
        Commands.run(dumpCommand, partial, Map.of("UPDATER_BACKUP_DIR", partial.toString()),
            commandTimeout, "dump the database into backup " + finished.getFileName());
        manifest.setProperty("dump", String.join(" ", dumpCommand));
      }
      try (Writer out = Files.newBufferedWriter(partial.resolve(MANIFEST))) {
        manifest.store(out, "updater backup of " + layout.shared() + "; see docs/backups.md");
      }
      Files.move(partial, finished, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | MigrationException | RuntimeException e) {
      try {
        FileCopies.deleteTree(partial);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      LOG.error("Backup {} failed; the update stops before activation", finished.getFileName(), e);
      throw e;
    }
    LOG.info("Backed up {} of {} to {}", paths, layout.shared(), finished);
    prune();
    return finished;
  }

  /**
   * Puts every configured shared path back as {@code backup} holds it, byte for byte, and runs the
   * restore command if one is configured. Stop the application first when it is running.
   */
  public void restore(Path backup) throws IOException, MigrationException {
    Objects.requireNonNull(backup, "backup");
    Properties manifest = new Properties();
    try (Reader in = Files.newBufferedReader(backup.resolve(MANIFEST))) {
      manifest.load(in);
    }
    for (String path : paths) {
      String state = manifest.getProperty("path." + path);
      if (state == null) {
        throw new IOException("backup " + backup + " does not hold shared path " + path);
      }
      restorePath(path, "present".equals(state) ? backup.resolve("shared").resolve(path) : null);
    }
    if (!restoreCommand.isEmpty()) {
      Commands.run(restoreCommand, backup, Map.of("UPDATER_BACKUP_DIR", backup.toString()),
          commandTimeout, "restore the database from backup " + backup.getFileName());
    }
    LOG.warn("Restored {} of {} from {}", paths, layout.shared(), backup);
  }

  /**
   * Replaces {@code shared/<path>} by a copy of {@code saved}, or deletes it when saved is null.
   */
  private void restorePath(String path, Path saved) throws IOException {
    Path live = layout.shared().resolve(path);
    Path parent = live.getParent();
    Path incoming = parent.resolve("." + live.getFileName() + ".restoring");
    Path outgoing = parent.resolve("." + live.getFileName() + ".replaced");
    FileCopies.deleteTree(incoming);
    FileCopies.deleteTree(outgoing);
    if (saved != null) {
      Files.createDirectories(parent);
      FileCopies.copyTree(saved, incoming);
    }
    if (Files.exists(live, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(live, outgoing, StandardCopyOption.ATOMIC_MOVE);
    }
    if (saved != null) {
      Files.move(incoming, live, StandardCopyOption.ATOMIC_MOVE);
    }
    FileCopies.deleteTree(outgoing);
  }

  private void prune() {
    try {
      List<Path> all = backups();
      for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
        LOG.info("Deleting old backup {} (keeping the newest {})", old.getFileName(), keep);
        FileCopies.deleteTree(old);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete old backups in {}", directory(), e);
    }
  }

  @Override
  public String toString() {
    return "BackupStep" + paths + " -> " + directory();
  }

  /** Configures a {@link BackupStep}. Not thread-safe. */
  public static final class Builder {
    private final Layout layout;
    private final List<String> paths = new ArrayList<>();
    private int keep = DEFAULT_KEEP;
    private List<String> dumpCommand = List.of();
    private List<String> restoreCommand = List.of();
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Clock clock = Clock.systemUTC();

    private Builder(Layout layout) {
      this.layout = layout;
    }

    /** Shared paths to back up, relative to {@code <home>/shared}, such as {@code "data"}. */
    public Builder paths(String... paths) {
      Objects.requireNonNull(paths, "paths");
      for (String path : paths) {
        Objects.requireNonNull(path, "path");
        Path p = Path.of(path).normalize();
        if (path.isBlank() || p.isAbsolute() || p.startsWith("..") || p.toString().isEmpty()) {
          throw new IllegalArgumentException("a shared path must be relative to shared/ and stay"
              + " inside it, was '" + path + "'");
        }
        if (this.paths.contains(p.toString())) {
          throw new IllegalArgumentException("shared path '" + path + "' is given twice");
        }
        this.paths.add(p.toString());
      }
      return this;
    }

    /** How many backups to keep, newest first; at least 1; default 5. */
    public Builder keep(int keep) {
      if (keep < 1) {
        throw new IllegalArgumentException("keep at least 1 backup, was " + keep);
      }
      this.keep = keep;
      return this;
    }

    /**
     * A command that dumps the database into {@code $UPDATER_BACKUP_DIR}; run in that directory.
     */
    public Builder dumpCommand(String... command) {
      this.dumpCommand = command(command);
      return this;
    }

    /** A command that loads the dump from {@code $UPDATER_BACKUP_DIR} back into the database. */
    public Builder restoreCommand(String... command) {
      this.restoreCommand = command(command);
      return this;
    }

    /** How long a dump or restore command may run; default 30 minutes. */
    public Builder commandTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive, was " + timeout);
      }
      this.commandTimeout = timeout;
      return this;
    }

    /** The clock that names backups; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    private static List<String> command(String... command) {
      Objects.requireNonNull(command, "command");
      if (command.length == 0 || command[0] == null || command[0].isBlank()) {
        throw new IllegalArgumentException("a command needs at least a program name");
      }
      return List.of(command);
    }

    /**
     * Builds the step.
     *
     * @throws IllegalStateException when no path and no dump command is configured
     */
    public BackupStep build() {
      if (paths.isEmpty() && dumpCommand.isEmpty()) {
        throw new IllegalStateException("BackupStep backs up nothing; add paths(\"data\") or a"
            + " dumpCommand(...)");
      }
      return new BackupStep(this);
    }
  }
}
