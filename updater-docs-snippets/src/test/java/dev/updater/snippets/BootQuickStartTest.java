package dev.updater.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.bootapp.MyBootApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.updater.cli.Main;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.spi.Restarter;
import dev.updater.systemd.RestartChain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot part of docs/quickstart.md: its properties are ones the starter knows, and its
 * {@code MyBootApp} with them (paths moved to a temporary directory) starts with an updater that
 * uses the application's restarter and confirms at start-up.
 */
class BootQuickStartTest {

  private static final Path QUICKSTART =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize()
          .resolve("docs/quickstart.md");

  @TempDir Path dir;

  @Test
  void everyPropertyOfThePageIsOneTheStarterDocuments() throws IOException {
    Set<String> known = new HashSet<>();
    try (InputStream in = MyBootApp.class.getClassLoader()
        .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      for (JsonNode p : new ObjectMapper().readTree(in).path("properties")) {
        known.add(p.path("name").asText());
      }
    }

    assertThat(known).contains("updater.home");
    assertThat(pageProperties().stringPropertyNames()).isNotEmpty().allSatisfy(
        name -> assertThat(known).as("updater properties the starter knows").contains(name));
  }

  @Test
  void theApplicationStartsWithTheUpdaterThePropertiesDescribe() throws IOException {
    Path home = Files.createDirectories(dir.resolve("opt/myapp"));
    Path repo = Files.createDirectories(dir.resolve("srv/updates/myapp"));
    assertThat(Main.run(new String[] {"keygen", "--out", home.toString(), "--name", "updates"},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).isZero();
    List<String> args = new ArrayList<>();
    Properties page = pageProperties();
    for (String name : page.stringPropertyNames()) {
      String value = page.getProperty(name)
          .replace("/opt/myapp", home.toString())
          .replace("https://updates.example.com/myapp/", repo.toString())
          .replace("@project.version@", "1.0.0");
      args.add("--" + name + "=" + value);
    }
    args.add("--updater.scheduler-enabled=false");   // no check in the background during the test
    args.add("--spring.main.banner-mode=off");

    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MyBootApp.class)
        .web(WebApplicationType.NONE).run(args.toArray(String[]::new))) {
      assertThat(context.getBean(Restarter.class)).isInstanceOf(RestartChain.class);
      Updater updater = context.getBean(Updater.class);
      assertThat(updater.status().state()).isEqualTo(UpdateStatus.State.IDLE);
    }
  }

  /** The first properties block of the quick start. */
  private static Properties pageProperties() throws IOException {
    String page = Files.readString(QUICKSTART);
    int start = page.indexOf("```properties\n");
    assertThat(start).as("a properties block in docs/quickstart.md").isNotNegative();
    int from = start + "```properties\n".length();
    Properties p = new Properties();
    p.load(new StringReader(page.substring(from, page.indexOf("```", from))));
    return p;
  }
}
