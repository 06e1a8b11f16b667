package dev.updater.systemd;

import dev.updater.core.UpdateContext;
import dev.updater.core.command.CommandResult;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Restarts a host application that runs as a systemd unit: a user unit with {@code systemctl
 * --user restart UNIT}, or a system unit with {@code sudo -n systemctl restart UNIT}.
 *
 * <pre>{@code
 * // systemctl --user restart myapp.service
 * DetectableRestarter user = SystemdRestarter.user("myapp");
 * // sudo -n systemctl restart myapp.service
 * DetectableRestarter system = SystemdRestarter.system("myapp");
 * }</pre>
 *
 * <p><b>Unit names.</b> A name without a unit type suffix gets {@code .service} appended
 * ({@code myapp} becomes {@code myapp.service}; {@code myapp.service}, {@code myapp@2.service}
 * and {@code myapp.target} stay as they are). systemctl would do the same, but sudo compares the
 * command line literally, so the name the sudoers rule allows must be the name run: always the
 * full name, as in {@code docs/restarting.md}.
 *
 * <p><b>Availability</b>, detected without side effects. User unit: {@code systemctl} is on the
 * PATH and {@code systemctl --user show -p LoadState UNIT} says {@code loaded} (this also fails,
 * and so skips, when there is no user manager to talk to). System unit: {@code systemctl} is on
 * the PATH, {@code systemctl show -p LoadState UNIT} (unprivileged) says {@code loaded}, and
 * {@code sudo} is on the PATH and {@code sudo -n -l systemctl restart UNIT} exits 0, that is, sudo
 * allows exactly that command without a password. (Asking sudo about the exact command, rather
 * than running {@code sudo -n true}, lets the sudoers rule allow nothing else.)
 *
 * <p>Restarting the unit the updater runs in stops this process during the command; the journal
 * already records the pending confirmation, so that is expected. Immutable and thread-safe.
 */
public final class SystemdRestarter implements DetectableRestarter {
  private static final Set<String> UNIT_TYPES = Set.of("service", "socket", "device", "mount",
      "automount", "swap", "target", "path", "timer", "slice", "scope");

  /** Which systemd manager the unit belongs to. */
  public enum Scope {
    /** The calling user's manager, through {@code systemctl --user}. */
    USER,
    /** The system manager, through {@code sudo -n systemctl}. */
    SYSTEM
  }

  private final Scope scope;
  private final String unit;
  private final Commands commands;

  private SystemdRestarter(Scope scope, String unit, CommandEnvironment environment) {
    this.scope = scope;
    this.unit = unitName(unit);
    this.commands = new Commands(Objects.requireNonNull(environment, "environment"));
  }

  /** Restarts the user unit {@code unit}, with the JVM's environment and default timeouts. */
  public static SystemdRestarter user(String unit) {
    return user(unit, CommandEnvironment.system());
  }

  /** Restarts the user unit {@code unit}, running systemctl in {@code environment}. */
  public static SystemdRestarter user(String unit, CommandEnvironment environment) {
    return new SystemdRestarter(Scope.USER, unit, environment);
  }

  /** Restarts the system unit {@code unit} through sudo, with the JVM's environment. */
  public static SystemdRestarter system(String unit) {
    return system(unit, CommandEnvironment.system());
  }

  /**
   * Restarts the system unit {@code unit} through sudo, running commands in {@code environment}.
   */
  public static SystemdRestarter system(String unit, CommandEnvironment environment) {
    return new SystemdRestarter(Scope.SYSTEM, unit, environment);
  }

  /**
   * The full unit name for {@code name}: unchanged when it ends with a unit type such as
   * {@code .service} or {@code .target}, else {@code name + ".service"}.
   */
  public static String unitName(String name) {
    Commands.checkName(name, "unit");
    int dot = name.lastIndexOf('.');
    if (dot > 0 && UNIT_TYPES.contains(name.substring(dot + 1))) {
      return name;
    }
    return name + ".service";
  }

  /** The full unit name, with its type suffix. */
  public String unit() {
    return unit;
  }

  /** Whether this restarts a user or a system unit. */
  public Scope scope() {
    return scope;
  }

  @Override
  public Availability availability() {
    Optional<Path> systemctl = commands.find("systemctl");
    if (systemctl.isEmpty()) {
      return Availability.unavailable("systemctl not found on PATH");
    }
    Availability loaded = loaded(systemctl.get());
    if (!loaded.isAvailable() || scope == Scope.USER) {
      return loaded;
    }
    Optional<Path> sudo = commands.find("sudo");
    if (sudo.isEmpty()) {
      return Availability.unavailable("sudo not found on PATH");
    }
    try {
      CommandResult allowed =
          commands.probe(sudo.get(), "-n", "-l", "systemctl", "restart", unit);
      if (allowed.succeeded()) {
        return Availability.available(
            "system unit " + unit + " is loaded and sudo allows restarting it without a password");
      }
      return Availability.unavailable("sudo does not allow 'systemctl restart " + unit
          + "' without a password: " + allowed.describe());
    } catch (Exception e) {
      return Commands.failedProbe("sudo -n -l systemctl restart " + unit, e);
    }
  }

  private Availability loaded(Path systemctl) {
    String[] show = scope == Scope.USER
        ? new String[] {"--user", "show", "-p", "LoadState", unit}
        : new String[] {"show", "-p", "LoadState", unit};
    String kind = scope == Scope.USER ? "user unit " : "system unit ";
    try {
      CommandResult result = commands.probe(systemctl, show);
      if (result.succeeded() && result.output().lines().anyMatch("LoadState=loaded"::equals)) {
        return Availability.available(kind + unit + " is loaded");
      }
      return Availability.unavailable(kind + unit + " is not loaded: " + result.describe());
    } catch (Exception e) {
      return Commands.failedProbe("systemctl show " + unit, e);
    }
  }

  /**
   * Runs {@code systemctl --user restart UNIT} or {@code sudo -n systemctl restart UNIT}; throws
   * {@link RestartException} on a non-zero exit or a timeout.
   */
  @Override
  public void restart(UpdateContext context) throws RestartException, InterruptedException {
    Objects.requireNonNull(context, "context");
    if (scope == Scope.USER) {
      Path systemctl = commands.find("systemctl")
          .orElseThrow(() -> new RestartException("systemctl not found on PATH"));
      commands.restart(systemctl, "--user", "restart", unit);
    } else {
      Path sudo = commands.find("sudo")
          .orElseThrow(() -> new RestartException("sudo not found on PATH"));
      commands.restart(sudo, "-n", "systemctl", "restart", unit);
    }
  }

  @Override
  public String description() {
    return scope == Scope.USER
        ? "systemctl --user restart " + unit
        : "sudo -n systemctl restart " + unit;
  }

  @Override
  public String toString() {
    return "SystemdRestarter[" + scope + ", " + unit + "]";
  }
}
