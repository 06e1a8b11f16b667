/**
 * Restarters for the updater: pm2, systemd (user and system), an exit code for a supervisor, and
 * a chain that uses the first that works. {@code dev.updater.systemd.internal} is not exported.
 */
module dev.updater.systemd {
  requires transitive dev.updater.core;
  requires org.slf4j;

  exports dev.updater.systemd;
}
