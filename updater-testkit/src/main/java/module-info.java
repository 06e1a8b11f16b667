/**
 * Test support for hosts of the updater: fakes of the ports, contract tests an adapter can extend,
 * release archives and Jimfs-backed homes.
 */
module dev.updater.testkit {
  requires transitive dev.updater.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires com.google.common.jimfs;
  requires org.apache.commons.compress;

  exports dev.updater.testkit;
  exports dev.updater.testkit.crash;
}
