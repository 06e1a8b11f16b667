/**
 * Spring Boot support for the updater: auto-configuration from the {@code updater.*} properties,
 * the Actuator endpoint {@code updates}, the health indicator {@code updater} and the start-up
 * confirmation. Spring Boot's jars are automatic modules; Actuator is optional.
 */
open module dev.updater.spring.boot {
  requires transitive dev.updater.core;
  requires spring.beans;
  requires spring.context;
  requires spring.core;
  requires transitive spring.boot;
  requires spring.boot.autoconfigure;
  requires static spring.boot.actuator;
  requires static spring.boot.actuator.autoconfigure;
  requires static spring.boot.health;
  requires static org.jspecify;

  exports dev.updater.spring.boot;
}
