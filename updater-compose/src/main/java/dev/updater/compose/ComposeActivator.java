package dev.updater.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Layout;
import dev.updater.core.Version;
import dev.updater.core.command.CommandResult;
import dev.updater.core.spi.Activator;
import dev.updater.core.spi.InvalidLayoutException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Activator} for a Docker Compose deployment: each release is a Compose file whose
 * images are pinned by digest ({@code image: registry.example.com/web@sha256:...}), published as
 * {@code releases/<version>/compose.yaml}. Activation keeps the live file as {@code
 * <home>/compose.yaml.bak}, writes the release's file to {@code <home>/compose.yaml} (atomically),
 * then runs {@code docker compose pull}, {@code docker compose up -d --remove-orphans} and waits
 * until every service's container is running and healthy (or has no health check). When any of
 * that fails, the previous Compose file is written back and brought up again, so the previous
 * containers run, and the activation fails: the pipeline then records the failure (and, for a
 * first install, takes the project down).
 *
 * <pre>{@code
 * Layout layout = Layout.of(Path.of("/srv/myapp"));
 * Updater updater = Updater.builder()
 *     .home(layout.home())
 *     .source(source)                                  // releases whose artifact holds compose.yaml
 *     .activator(ComposeActivator.builder(layout)
 *         .project("myapp")
 *         .healthTimeout(Duration.ofMinutes(3))
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>The live version is recorded in {@code .updater/compose.json}, with the version a switch goes
 * to while it runs: a process killed during a switch leaves it there, and the next activation of
 * any version (crash recovery puts the previous one back) pulls and brings that version up again.
 * Compose resolves relative paths (volumes such as {@code ./data}) against the home.
 *
 * <p>Immutable and thread-safe; the pipeline calls it under the update lock.
 */
public final class ComposeActivator implements Activator {
  /** The Compose file's name in each release unless {@link Builder#file} says otherwise. */
  public static final String DEFAULT_FILE = "compose.yaml";

  private static final Logger LOG = LoggerFactory.getLogger(ComposeActivator.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Layout layout;
  private final String fileName;
  private final ComposeCli cli;
  private final Duration healthTimeout;
  private final Duration pollInterval;
  private final ComposeHealth.Sleeper sleeper;

  private ComposeActivator(Builder b) {
    this.layout = b.layout;
    this.fileName = b.file;
    this.cli = new ComposeCli(b.environment, b.project, layout.home(), b.commandTimeout);
    this.healthTimeout = b.healthTimeout;
    this.pollInterval = b.pollInterval;
    this.sleeper = d -> Thread.sleep(d.toMillis());
  }

  /** A builder for an activator of the Compose project in {@code layout}'s home. */
  public static Builder builder(Layout layout) {
    return new Builder(layout);
  }

  /** The live Compose file: {@code <home>/compose.yaml} (or the configured name). */
  public Path liveFile() {
    return layout.home().resolve(fileName);
  }

  /** Where the live Compose file is kept when a switch replaces it. */
  public Path backupFile() {
    return layout.home().resolve(fileName + ".bak");
  }

  private Path record() {
    return layout.state().resolve("compose.json");
  }

  /** Checks that {@code docker compose} answers; changes nothing. */
  @Override
  public void preflight() throws IOException {
    if (cli.docker().isEmpty()) {
      throw new InvalidLayoutException("docker not found on the PATH of the Compose activator; "
          + "install Docker with the Compose plugin, or give the environment whose PATH has it");
    }
    CommandResult version = cli.run(liveFile(), "version");
    if (!version.succeeded()) {
      throw new InvalidLayoutException("docker compose does not work here: "
          + version.describe() + "; install the Compose plugin (docker compose version)");
    }
    readRecord();
  }

  /** Refuses a release whose Compose file is missing or names an image not pinned by digest. */
  @Override
  public void prepare(Path stagedTree, Version version) throws IOException {
    Objects.requireNonNull(stagedTree, "stagedTree");
    Objects.requireNonNull(version, "version");
    ComposeFile.services(stagedTree.resolve(fileName));
  }

  @Override
  public Optional<Version> active() throws IOException {
    return readRecord().live;
  }

  @Override
  public void activate(Version version) throws IOException {
    Objects.requireNonNull(version, "version");
    Path releaseFile = layout.release(version).resolve(fileName);
    Map<String, String> services = ComposeFile.services(releaseFile);
    Record before = readRecord();
    if (before.switching.isEmpty() && before.live.map(v -> v.equals(version)).orElse(false)) {
      LOG.debug("Release {} is already live in project {}", version, liveFile());
      return;
    }
    Optional<byte[]> previous = Files.exists(liveFile())
        ? Optional.of(Files.readAllBytes(liveFile())) : Optional.empty();
    writeRecord(new Record(before.live, Optional.of(version)));
    if (previous.isPresent()) {
      writeAtomically(backupFile(), previous.get());
    }
    writeAtomically(liveFile(), Files.readAllBytes(releaseFile));
    try {
      cli.check(liveFile(), "pull");
      cli.check(liveFile(), "up", "-d", "--remove-orphans");
      ComposeHealth.await(cli, liveFile(), services.keySet(), healthTimeout, pollInterval,
          sleeper);
    } catch (IOException e) {
      restore(previous, before, e);
      throw new IOException("release " + version + " did not come up: " + e.getMessage()
          + "; " + (previous.isPresent() ? "the previous Compose file and containers were "
          + "restored" : "there was no previous Compose file"), e);
    }
    writeRecord(new Record(Optional.of(version), Optional.empty()));
    LOG.info("Project {} runs release {} ({} services healthy; was {})", liveFile(), version,
        services.size(), before.live.map(Version::toString).orElse("nothing"));
  }

  /** Puts the previous Compose file back and brings it up; failures are added to {@code cause}. */
  private void restore(Optional<byte[]> previous, Record before, IOException cause) {
    try {
      if (previous.isPresent()) {
        writeAtomically(liveFile(), previous.get());
        cli.check(liveFile(), "up", "-d", "--remove-orphans");
      } else {
        cli.check(liveFile(), "down", "--remove-orphans");
        Files.deleteIfExists(liveFile());
      }
      writeRecord(new Record(before.live, Optional.empty()));
    } catch (IOException | RuntimeException e) {
      LOG.error("Could not restore the previous Compose deployment in {}", layout.home(), e);
      cause.addSuppressed(e);
    }
  }

  @Override
  public void deactivate() throws IOException {
    if (Files.exists(liveFile())) {
      cli.check(liveFile(), "down", "--remove-orphans");
      Files.delete(liveFile());
    }
    Files.deleteIfExists(record());
    LOG.info("Took project {} down: no release is live", liveFile());
  }

  /** The record's two versions. */
  private record Record(Optional<Version> live, Optional<Version> switching) {}

  private Record readRecord() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(record());
    } catch (NoSuchFileException e) {
      return new Record(Optional.empty(), Optional.empty());
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      return new Record(version(n, "live"), version(n, "switching"));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidLayoutException(record() + " is not a valid Compose record (" + e
          + "); it names the live release. Restore it, or delete it and install again");
    }
  }

  private static Optional<Version> version(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(Version.parse(v.asText()));
  }

  private void writeRecord(Record r) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    r.live.ifPresent(v -> n.put("live", v.toString()));
    r.switching.ifPresent(v -> n.put("switching", v.toString()));
    Files.createDirectories(record().getParent());
    writeAtomically(record(), (JSON.writeValueAsString(n) + "\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** Temp file beside {@code target}, forced, renamed over it, directory forced. */
  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Configures a {@link ComposeActivator}. Not thread-safe. */
  public static final class Builder {
    private final Layout layout;
    private String project;
    private String file = DEFAULT_FILE;
    private Map<String, String> environment = System.getenv();
    private Duration healthTimeout = Duration.ofMinutes(2);
    private Duration pollInterval = Duration.ofSeconds(2);
    private Duration commandTimeout = Duration.ofMinutes(10);

    private Builder(Layout layout) {
      this.layout = Objects.requireNonNull(layout, "layout");
      Path name = layout.home().toAbsolutePath().normalize().getFileName();
      this.project = name == null ? "app" : name.toString().toLowerCase(java.util.Locale.ROOT)
          .replaceAll("[^a-z0-9_-]", "");
    }

    /** The Compose project name ({@code docker compose -p}); default the home's name. */
    public Builder project(String project) {
      Objects.requireNonNull(project, "project");
      if (!project.matches("[a-z0-9][a-z0-9_-]*")) {
        throw new IllegalArgumentException("project '" + project + "' must be lower-case "
            + "letters, digits, '_' and '-', starting with a letter or digit (Compose's rule)");
      }
      this.project = project;
      return this;
    }

    /** The Compose file's name in each release and in the home; default {@code compose.yaml}. */
    public Builder file(String fileName) {
      Objects.requireNonNull(fileName, "fileName");
      if (!fileName.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException("file '" + fileName + "' must be a plain file name");
      }
      this.file = fileName;
      return this;
    }

    /**
     * The environment the {@code docker} commands see, whose {@code PATH} also decides which
     * {@code docker} runs; default this process's environment.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** How long the containers have to become healthy after {@code up}; default 2 minutes. */
    public Builder healthTimeout(Duration timeout) {
      this.healthTimeout = positive(timeout, "healthTimeout");
      return this;
    }

    /** How often the containers' health is read while waiting; default 2 s. */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive(interval, "pollInterval");
      return this;
    }

    /** How long one {@code docker compose} command may run (a pull); default 10 minutes. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /** Builds the activator. */
    public ComposeActivator build() {
      if (project.isEmpty()) {
        throw new IllegalStateException("the home's name gives no Compose project name; set "
            + "project(...)");
      }
      return new ComposeActivator(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
