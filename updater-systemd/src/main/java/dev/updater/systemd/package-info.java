/**
 * Restarters that get a newly activated release running: {@link dev.updater.systemd.Pm2Restarter}
 * ({@code pm2 restart NAME}), {@link dev.updater.systemd.SystemdRestarter} (a user unit through
 * {@code systemctl --user}, a system unit through {@code sudo -n systemctl}), {@link
 * dev.updater.systemd.ExitRestarter} (end the process with a code a supervisor restarts on), and
 * {@link dev.updater.systemd.RestartChain}, which uses the first of them that is available and
 * succeeds. {@link dev.updater.systemd.Restarters} holds the factories.
 *
 * <p>Every command runs without a shell, with a timeout from {@link
 * dev.updater.systemd.CommandEnvironment}, and its output goes to the log (SLF4J) and into the
 * message of any failure.
 */
package dev.updater.systemd;
