/**
 * Spring Boot support for the updater: auto-configuration of an {@link dev.updater.core.Updater},
 * an {@link dev.updater.core.UpdateScheduler} and an {@link dev.updater.core.admin.UpdateAdmin}
 * from the {@code updater.*} properties ({@link dev.updater.spring.boot.UpdaterProperties}), the
 * Actuator endpoint {@code updates} ({@link dev.updater.spring.boot.UpdatesEndpoint}), the health
 * indicator {@code updater}, and the confirmation of the running release once the application is
 * ready. See {@code docs/spring-boot.md}.
 */
package dev.updater.spring.boot;
