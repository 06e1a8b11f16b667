package dev.updater.snippets.pages;

import dev.updater.core.spi.ReleaseGate;
import dev.updater.core.spi.Restarter;
import dev.updater.jdbc.DatabaseCompatibilityGate;
import dev.updater.spring.boot.UpdaterBuilderCustomizer;
import dev.updater.systemd.Restarters;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** The Java blocks of docs/spring-boot.md. */
final class SpringBootSnippets {

  // tag::your-own-beans[]
  @Bean
  Restarter restarter() {
    return Restarters.firstAvailable("myapp");   // updater-systemd: pm2, systemd, exit code 75
  }

  @Bean
  ReleaseGate databaseGate(DataSource dataSource) {
    return DatabaseCompatibilityGate.of(dataSource);   // updater-jdbc
  }

  @Bean
  UpdaterBuilderCustomizer updaterLimits() {
    return builder -> builder.lockTtl(Duration.ofMinutes(30)).freeSpace(500L * 1024 * 1024, 3);
  }
  // end::your-own-beans[]

  // tag::securing-the-endpoint[]
  @Bean
  SecurityFilterChain management(HttpSecurity http) throws Exception {
    http.securityMatcher(EndpointRequest.toAnyEndpoint())
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(EndpointRequest.to("health")).permitAll()
            .anyRequest().hasRole("ADMIN"))
        .httpBasic(Customizer.withDefaults())
        .csrf(csrf -> csrf.ignoringRequestMatchers(EndpointRequest.to("updates")));
    return http.build();
  }
  // end::securing-the-endpoint[]
}
