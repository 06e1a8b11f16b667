package dev.updater.systemd;

import java.util.Arrays;
import java.util.List;

/**
 * Factories for the restarters of this module, and a ready-made chain for an app called
 * {@code name}: pm2, then a systemd user unit, then a systemd system unit through sudo, then exit
 * code 75 ({@link #firstAvailable(String)}).
 *
 * <pre>{@code
 * import static dev.updater.systemd.Restarters.*;
 *
 * Updater updater = Updater.builder()
 *     ...
 *     .restarter(firstAvailable(pm2("myapp"), systemdUser("myapp"), exitWith(75)))
 *     .build();
 * // or, every way this module knows, in that order:
 *     .restarter(Restarters.firstAvailable("myapp"))
 * }</pre>
 *
 * <p>The one-argument factories use {@link CommandEnvironment#system()}; the others take an
 * environment (PATH, timeouts). Everything returned is immutable and thread-safe.
 */
public final class Restarters {
  private Restarters() {}

  /** {@code pm2 restart name}; see {@link Pm2Restarter}. */
  public static Pm2Restarter pm2(String name) {
    return Pm2Restarter.of(name);
  }

  /** {@code pm2 restart name}, run in {@code environment}. */
  public static Pm2Restarter pm2(String name, CommandEnvironment environment) {
    return Pm2Restarter.of(name, environment);
  }

  /** {@code systemctl --user restart unit}; see {@link SystemdRestarter}. */
  public static SystemdRestarter systemdUser(String unit) {
    return SystemdRestarter.user(unit);
  }

  /** {@code systemctl --user restart unit}, run in {@code environment}. */
  public static SystemdRestarter systemdUser(String unit, CommandEnvironment environment) {
    return SystemdRestarter.user(unit, environment);
  }

  /** {@code sudo -n systemctl restart unit}; see {@link SystemdRestarter}. */
  public static SystemdRestarter systemdSystem(String unit) {
    return SystemdRestarter.system(unit);
  }

  /** {@code sudo -n systemctl restart unit}, run in {@code environment}. */
  public static SystemdRestarter systemdSystem(String unit, CommandEnvironment environment) {
    return SystemdRestarter.system(unit, environment);
  }

  /** Ends the process with {@code code} (1..255) for a supervisor; see {@link ExitRestarter}. */
  public static ExitRestarter exitWith(int code) {
    return ExitRestarter.withCode(code);
  }

  /** A chain that uses the first of {@code candidates} that is available and succeeds. */
  public static RestartChain firstAvailable(DetectableRestarter... candidates) {
    return RestartChain.of(Arrays.asList(candidates));
  }

  /**
   * A chain for the app called {@code name} that tries, in this order:
   *
   * <ol>
   *   <li>{@code pm2 restart name}, when pm2's daemon runs and knows the app ({@link
   *       #pm2(String)});
   *   <li>{@code systemctl --user restart name.service}, when the user unit is loaded ({@link
   *       #systemdUser(String)});
   *   <li>{@code sudo -n systemctl restart name.service}, when the system unit is loaded and sudo
   *       allows exactly that command without a password ({@link #systemdSystem(String)});
   *   <li>ending the process with exit code 75, for a supervisor to start it again ({@link
   *       ExitRestarter#withDefaultCode()}), which is always available.
   * </ol>
   *
   * <p>The first candidate that is available and succeeds restarts the app; see {@link
   * RestartChain}. The commands run in {@link CommandEnvironment#system()}.
   */
  public static RestartChain firstAvailable(String name) {
    return firstAvailable(name, CommandEnvironment.system());
  }

  /**
   * {@link #firstAvailable(String)} with its commands looked up and run in {@code environment}:
   * pm2, then systemd {@code --user}, then systemd through sudo, then exit code 75.
   */
  public static RestartChain firstAvailable(String name, CommandEnvironment environment) {
    return RestartChain.of(List.of(
        pm2(name, environment),
        systemdUser(name, environment),
        systemdSystem(name, environment),
        ExitRestarter.withDefaultCode()));
  }
}
