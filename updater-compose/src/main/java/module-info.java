/**
 * Activation of Docker Compose deployments for the updater: {@link
 * dev.updater.compose.ComposeActivator} writes a release's Compose file (images pinned by digest),
 * pulls, brings the project up and checks every container's health, and restores the previous
 * file and containers on failure.
 */
module dev.updater.compose {
  requires transitive dev.updater.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.updater.compose;
}
