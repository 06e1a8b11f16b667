package dev.updater.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateListener;
import dev.updater.core.UpdateScheduler;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A real Spring Boot web application (embedded server on a random port, Actuator, Spring
 * Security as {@code docs/spring-boot.md} shows it) that embeds the updater through the starter,
 * running 1.0.0 from its home: 1.1.0 is published into a signed local repository, found and
 * approved through the {@code updates} endpoint over HTTP by an operator, and installed.
 */
class ActuatorEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String OPERATOR = "Basic "
      + Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8));

  @TempDir Path tmp;

  private SignedRepository repo;
  private Path home;
  private ConfigurableApplicationContext app;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void installFirstRelease() throws IOException {
    repo = new SignedRepository(tmp);
    repo.publish("1.0.0");
    home = tmp.resolve("home");
    repo.installInto(home, "1.0.0");
    App.ticks.clear();
    App.events.clear();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private void start(String... more) throws InterruptedException {
    String[] base = {"--server.port=0", "--server.address=127.0.0.1",
        "--spring.main.banner-mode=off",
        "--updater.home=" + home, "--updater.source=" + repo.root,
        "--updater.trusted-keys=" + repo.publicKeyLine(), "--updater.running-version=1.0.0",
        "--updater.mode=notify",
        "--management.endpoints.web.exposure.include=updates,health",
        "--management.endpoint.health.show-details=always"};
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    app = new SpringApplicationBuilder(App.class).run(args);
    this.base = URI.create("http://127.0.0.1:"
        + app.getEnvironment().getProperty("local.server.port") + "/actuator/");
    // The scheduler starts once the application is ready; its first check finds nothing newer.
    assertThat(App.ticks.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(UpdateScheduler.Tick.UpToDate.class);
  }

  @Test
  void installsAReleaseApprovedThroughTheEndpoint() throws Exception {
    start("--management.endpoint.updates.access=unrestricted");
    assertThat(post("updates/rollback", "{}")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(json(r).path("reason").asText()).isEqualTo("INVALID_STATE");
    });
    repo.publish("1.1.0");
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(base.resolve(
        "updates/install")).POST(HttpRequest.BodyPublishers.ofString("{}"))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(Files.readString(home.resolve("current/VERSION"))).isEqualTo("1.0.0");

    HttpResponse<String> checked = post("updates/check", "{}");
    assertThat(checked.statusCode()).isEqualTo(200);
    assertThat(json(checked).path("latestVersion").asText()).isEqualTo("1.1.0");
    assertThat(json(checked).path("awaitingApproval").asBoolean()).isTrue();

    HttpResponse<String> approved = post("updates/install", "{\"repair\": false}");
    assertThat(approved.statusCode()).isEqualTo(202);
    assertThat(json(approved).path("result").asText()).isEqualTo("accepted");
    assertThat(json(approved).path("version").asText()).isEqualTo("1.1.0");
    assertThat(completedInstall()).isEqualTo(Version.parse("1.1.0"));

    JsonNode status = json(get("updates"));
    assertThat(status.path("installedVersion").asText()).isEqualTo("1.1.0");
    assertThat(status.path("runningVersion").asText()).isEqualTo("1.0.0");
    assertThat(status.path("restartRequired").asBoolean()).isTrue();
    assertThat(status.path("phase").asText()).isEqualTo("complete");
    assertThat(status.path("previousVersion").asText()).isEqualTo("1.0.0");
    assertThat(home.resolve("current").toRealPath())
        .isEqualTo(home.resolve("releases/1.1.0").toRealPath());
    assertThat(Files.readString(home.resolve("current/app.txt")))
        .isEqualTo("the application at 1.1.0\n");
    assertThat(json(get("updates/progress")).path("phase").asText()).isEqualTo("complete");

    // This process still runs 1.0.0 (no restarter): the health says it should be restarted.
    HttpResponse<String> health = get("health");
    assertThat(health.statusCode()).isEqualTo(503);
    JsonNode updater = json(health).path("components").path("updater");
    assertThat(updater.path("status").asText()).isEqualTo("OUT_OF_SERVICE");
    assertThat(updater.path("details").path("liveVersion").asText()).isEqualTo("1.1.0");

    HttpResponse<String> again = post("updates/install", "{}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).path("result").asText()).isEqualTo("up-to-date");
  }

  @Test
  void refusesWritesUnlessTheApplicationAllowsThem() throws Exception {
    start();
    repo.publish("1.1.0");

    HttpResponse<String> install = post("updates/install", "{}");

    assertThat(install.statusCode()).isIn(404, 405);
    HttpResponse<String> status = get("updates?force=true");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(json(status).path("latestVersion").asText()).isEqualTo("1.1.0");
    assertThat(json(status).path("installedVersion").asText()).isEqualTo("1.0.0");
    assertThat(Files.readString(home.resolve("current/VERSION"))).isEqualTo("1.0.0");
    HttpResponse<String> health = get("health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).path("components").path("updater").path("status").asText())
        .isEqualTo("UP");
  }

  /** Waits for the listener to see an install complete, and returns the version it installed. */
  private Version completedInstall() throws InterruptedException {
    while (true) {
      UpdateEvent event = App.events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(event).as("an event of the install before the timeout").isNotNull();
      if (event instanceof UpdateEvent.Failed failed) {
        throw new AssertionError("the install failed", failed.error());
      }
      if (event instanceof UpdateEvent.Completed completed) {
        return completed.to();
      }
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", OPERATOR)
        .GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json").header("Authorization", OPERATOR)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /**
   * The host application: the starter's auto-configuration, Actuator, Spring MVC and Spring
   * Security (the endpoints for the role ADMIN, health for everyone), plus a scheduler and a
   * listener of its own (beans the starter takes instead of, or beside, its own).
   */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    static final BlockingQueue<UpdateScheduler.Tick> ticks = new LinkedBlockingQueue<>();
    static final BlockingQueue<UpdateEvent> events = new LinkedBlockingQueue<>();

    @Bean
    UpdateScheduler updateScheduler(Updater updater) {
      return UpdateScheduler.builder(updater).interval(Duration.ofHours(1))
          .jitter(Duration.ZERO).onTick(ticks::add).build();
    }

    @Bean
    UpdateListener recordingListener() {
      return events::add;
    }

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

    @Bean
    InMemoryUserDetailsManager operators() {
      return new InMemoryUserDetailsManager(
          User.withUsername("ops").password("{noop}secret").roles("ADMIN").build());
    }

    @Bean
    UpdaterBuilderCustomizer anySpace() {
      return builder -> builder.freeSpace(0, 0);
    }
  }
}
