package dev.updater.compose;

import dev.updater.core.Layout;
import dev.updater.core.Version;
import dev.updater.core.spi.Activator;
import dev.updater.testkit.ActivatorContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The Compose activator against the stand-in {@code docker}, on the real disk. */
class ComposeActivatorContractTest extends ActivatorContract {
  private ComposeStandIn docker;

  @Override
  protected Activator createActivator(Layout layout) throws Exception {
    docker = ComposeStandIn.create(Files.createDirectories(layout.home().resolve("tools")));
    return ComposeActivator.builder(layout).project("contract")
        .environment(docker.environment()).pollInterval(Duration.ofMillis(10)).build();
  }

  @Override
  protected Path stage(Version version) throws Exception {
    Path staged = super.stage(version);
    String image = ComposeStandIn.image("web", version.toString());
    docker.publish(image);
    Files.writeString(staged.resolve(ComposeActivator.DEFAULT_FILE),
        ComposeStandIn.composeFile(Map.of("web", image)));
    return staged;
  }
}
