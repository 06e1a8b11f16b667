package dev.updater.systemd;

import dev.updater.core.UpdateContext;
import dev.updater.core.command.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Restarts a host application that runs under pm2, with {@code pm2 restart NAME}.
 *
 * <pre>{@code
 * DetectableRestarter pm2 = Pm2Restarter.of("myapp");            // or Restarters.pm2("myapp")
 * Updater updater = Updater.builder()...restarter(Restarters.firstAvailable(pm2, ...)).build();
 * }</pre>
 *
 * <p>Available when {@code pm2} is on the PATH, the pm2 daemon of this user is running (its
 * {@code rpc.sock} exists in {@code $PM2_HOME}, default {@code $HOME/.pm2}), and {@code pm2
 * describe NAME} exits 0 without saying the app does not exist. The daemon check comes first
 * because any pm2 command starts a daemon when none runs, and detection must change nothing.
 *
 * <p>When the updater runs inside the app pm2 restarts, pm2 stops this process during the
 * command; the journal already records the pending confirmation, so that is expected.
 * Immutable and thread-safe.
 */
public final class Pm2Restarter implements DetectableRestarter {
  private final String name;
  private final Commands commands;

  private Pm2Restarter(String name, CommandEnvironment environment) {
    this.name = Commands.checkName(name, "pm2 app name");
    this.commands = new Commands(environment);
  }

  /** Restarts the pm2 app {@code name}, with the JVM's environment and default timeouts. */
  public static Pm2Restarter of(String name) {
    return of(name, CommandEnvironment.system());
  }

  /** Restarts the pm2 app {@code name}, running pm2 in {@code environment}. */
  public static Pm2Restarter of(String name, CommandEnvironment environment) {
    Objects.requireNonNull(environment, "environment");
    return new Pm2Restarter(name, environment);
  }

  /** The pm2 app name. */
  public String name() {
    return name;
  }

  @Override
  public Availability availability() {
    Optional<Path> pm2 = commands.find("pm2");
    if (pm2.isEmpty()) {
      return Availability.unavailable("pm2 not found on PATH");
    }
    Optional<Path> home = pm2Home();
    if (home.isEmpty()) {
      return Availability.unavailable("neither PM2_HOME nor HOME is set, so pm2 has no daemon");
    }
    Path socket = home.get().resolve("rpc.sock");
    if (!Files.exists(socket)) {
      return Availability.unavailable("pm2 daemon not running (no " + socket + ")");
    }
    try {
      CommandResult describe = commands.probe(pm2.get(), "describe", name);
      if (describe.succeeded() && !describe.output().contains("doesn't exist")) {
        return Availability.available("pm2 knows app " + name);
      }
      return Availability.unavailable("pm2 does not know app " + name + ": " + describe.describe());
    } catch (Exception e) {
      return Commands.failedProbe("pm2 describe " + name, e);
    }
  }

  /** Runs {@code pm2 restart NAME}; throws {@link RestartException} on a non-zero exit. */
  @Override
  public void restart(UpdateContext context) throws RestartException, InterruptedException {
    Objects.requireNonNull(context, "context");
    Path pm2 = commands.find("pm2")
        .orElseThrow(() -> new RestartException("pm2 not found on PATH"));
    commands.restart(pm2, "restart", name);
  }

  @Override
  public String description() {
    return "pm2 restart " + name;
  }

  @Override
  public String toString() {
    return "Pm2Restarter[" + name + "]";
  }

  private Optional<Path> pm2Home() {
    Optional<String> explicit = commands.variable("PM2_HOME").filter(s -> !s.isEmpty());
    if (explicit.isPresent()) {
      return explicit.map(Path::of);
    }
    return commands.variable("HOME").filter(s -> !s.isEmpty()).map(h -> Path.of(h, ".pm2"));
  }
}
