package dev.updater.spring.boot;

import dev.updater.core.MaintenanceWindow;
import dev.updater.core.UpdateListener;
import dev.updater.core.UpdateScheduler;
import dev.updater.core.Updater;
import dev.updater.core.admin.UpdateAdmin;
import dev.updater.core.spi.Activator;
import dev.updater.core.spi.HealthCheck;
import dev.updater.core.spi.LockStore;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.core.spi.MigrationRunner;
import dev.updater.core.spi.ReleaseGate;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.Restarter;
import dev.updater.core.spi.Stager;
import dev.updater.core.spi.TelemetrySink;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the updater from the {@code updater.*} properties ({@link
 * UpdaterProperties}): an {@link Updater} once {@code updater.home} is set, an {@link
 * UpdateScheduler} and an {@link UpdateAdmin} over it, and the start-up confirmation that calls
 * {@link Updater#confirm()} once the application is ready and then starts the scheduler.
 *
 * <p>Each bean backs off when the application defines its own of the same type. The ports the
 * properties do not describe are taken from the application's beans: a {@link Restarter}, a {@link
 * MigrationRunner}, {@link MigrationGuard}s, {@link ReleaseGate}s, {@link UpdateListener}s, a
 * {@link LockStore}, a {@link Stager}; a {@link ReleaseSource}, an {@link Activator} or a {@link
 * HealthCheck} bean wins over the properties that would make one. {@link UpdaterBuilderCustomizer}
 * beans adjust the builder last.
 *
 * <pre>{@code
 * updater.home=/opt/myapp
 * updater.source=https://updates.example.com/myapp/
 * updater.trusted-key-files=/etc/myapp/updates.pub
 * updater.running-version=1.0.0
 * }</pre>
 *
 * <p>Off with {@code updater.enabled=false}. Thread-safety is that of the beans it makes.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "updater.enabled", matchIfMissing = true)
@EnableConfigurationProperties(UpdaterProperties.class)
public class UpdaterAutoConfiguration {

  /** Spring creates it; an application never needs to. */
  public UpdaterAutoConfiguration() {}

  /** The updater of the install at {@code updater.home}. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "updater", name = "home")
  public Updater updater(UpdaterProperties properties, ObjectProvider<ReleaseSource> source,
      ObjectProvider<Activator> activator, ObjectProvider<HealthCheck> healthCheck,
      ObjectProvider<Restarter> restarter, ObjectProvider<MigrationRunner> migrations,
      ObjectProvider<MigrationGuard> guards, ObjectProvider<ReleaseGate> gates,
      ObjectProvider<UpdateListener> listeners, ObjectProvider<LockStore> lockStore,
      ObjectProvider<Stager> stager, ObjectProvider<UpdaterBuilderCustomizer> customizers,
      ObjectProvider<BuildProperties> build) {
    Optional<String> buildVersion = Optional.ofNullable(build.getIfAvailable())
        .map(BuildProperties::getVersion);
    return new UpdaterFactory(properties, source, activator, healthCheck,
        new UpdaterFactory.Beans(restarter, migrations, guards, gates, listeners, lockStore,
            stager, customizers, buildVersion)).build();
  }

  /**
   * The scheduler of periodic checks, started once the application is ready; not made when
   * {@code updater.scheduler-enabled=false}. A {@link TelemetrySink} bean gets its heartbeats.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBean(Updater.class)
  @ConditionalOnBooleanProperty(name = "updater.scheduler-enabled", matchIfMissing = true)
  public UpdateScheduler updateScheduler(Updater updater, UpdaterProperties properties,
      ObjectProvider<TelemetrySink> telemetry) {
    UpdateScheduler.Builder b = UpdateScheduler.builder(updater);
    UpdaterFactory.set("updater.check-interval", properties.getCheckInterval(), b::interval);
    UpdaterFactory.set("updater.check-jitter", properties.getCheckJitter(), b::jitter);
    UpdaterFactory.set("updater.maintenance-window", properties.getMaintenanceWindow(),
        text -> b.maintenanceWindow(MaintenanceWindow.parse(text)));
    telemetry.ifAvailable(b::telemetry);
    return b.build();
  }

  /** The admin API behind the {@code updates} Actuator endpoint. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBean(Updater.class)
  public UpdateAdmin updateAdmin(Updater updater) {
    return UpdateAdmin.of(updater);
  }

  /** Confirms the running release once the application is ready, then starts the scheduler. */
  @Bean
  @ConditionalOnBean(Updater.class)
  UpdaterStartup updaterStartup(Updater updater, UpdaterProperties properties,
      ObjectProvider<UpdateScheduler> scheduler) {
    return new UpdaterStartup(updater, properties.isConfirmOnReady(), scheduler);
  }
}
