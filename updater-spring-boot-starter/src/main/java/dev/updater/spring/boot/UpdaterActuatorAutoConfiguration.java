package dev.updater.spring.boot;

import dev.updater.core.UpdateScheduler;
import dev.updater.core.Updater;
import dev.updater.core.admin.UpdateAdmin;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the Actuator parts, when the application has Actuator: the {@code updates}
 * endpoint ({@link UpdatesEndpoint}) over the {@link UpdateAdmin} bean, and the {@code updater}
 * health indicator ({@link UpdaterHealthIndicator}) over the {@link Updater} bean. Each backs off
 * when the application defines its own.
 *
 * <p>Thread-safety is that of the beans it makes.
 */
@AutoConfiguration(after = UpdaterAutoConfiguration.class)
@ConditionalOnClass(WebEndpoint.class)
public class UpdaterActuatorAutoConfiguration {

  /** Spring creates it; an application never needs to. */
  public UpdaterActuatorAutoConfiguration() {}

  /** The {@code updates} endpoint, when it is available (exposed and not switched off). */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(UpdateAdmin.class)
  @ConditionalOnAvailableEndpoint
  public UpdatesEndpoint updatesEndpoint(UpdateAdmin admin,
      ObjectProvider<UpdateScheduler> scheduler) {
    return new UpdatesEndpoint(admin, Optional.ofNullable(scheduler.getIfUnique()));
  }

  /** The health indicator, when Spring Boot's health support is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "updaterHealthIndicator")
    @ConditionalOnBean(Updater.class)
    @ConditionalOnEnabledHealthIndicator("updater")
    UpdaterHealthIndicator updaterHealthIndicator(Updater updater) {
      return new UpdaterHealthIndicator(updater);
    }
  }
}
