/**
 * Restarters for the updater: pm2, systemd (user and system), an exit code for a supervisor, and
 * a chain that uses the first that works. Commands run through {@code dev.updater.core.command}.
 */
module dev.updater.systemd {
  requires transitive dev.updater.core;
  requires org.slf4j;

  exports dev.updater.systemd;
}
