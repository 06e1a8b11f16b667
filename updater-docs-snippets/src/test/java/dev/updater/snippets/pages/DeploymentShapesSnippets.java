package dev.updater.snippets.pages;

import dev.updater.compose.ComposeActivator;
import dev.updater.core.Layout;
import dev.updater.core.Platform;
import dev.updater.core.Step;
import dev.updater.core.Updater;
import dev.updater.core.activate.PointerActivator;
import dev.updater.core.activate.SingleFileActivator;
import dev.updater.core.command.CommandHook;
import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.core.source.GitReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.stage.GitTagStager;
import dev.updater.core.stage.SingleFileStager;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** The Java blocks of docs/deployment-shapes.md. */
final class DeploymentShapesSnippets {
  Path home;
  ReleaseSource source;

  void command_hooks() throws Exception {
    // tag::command-hooks[]
    Updater updater = Updater.builder()
        .home(home)
        .source(source)
        .after(Step.STAGE, CommandHook.builder("npm", "ci", "--omit=dev")
            .timeout(Duration.ofMinutes(10))               // default 10 minutes
            .variable("NODE_ENV", "production")            // on top of this process's environment
            .build())
        .before(Step.ACTIVATE, CommandHook.shell("./bin/check-config && ./bin/warm-cache").build())
        .build();
    // end::command-hooks[]
  }

  void single_file_applications() throws Exception {
    // tag::single-file-applications[]
    Layout layout = Layout.of(Path.of("/var/lib/myapp"));              // releases/, .updater/
    Updater updater = Updater.builder()
        .home(layout.home())
        .source(source)
        .stager(SingleFileStager.builder().fileName("myapp").build())
        .activator(SingleFileActivator.builder(layout, Path.of("/usr/local/bin/myapp")).build())
        .healthCheck(HttpHealthCheck.of(URI.create("http://127.0.0.1:8080/api/health")))
        .build();
    // end::single-file-applications[]
  }

  void activation_without_symbolic_links() throws Exception {
    // tag::pointer-activator[]
    Updater updater = Updater.builder()
        .home(home)
        .source(source)
        .activator(PointerActivator.create(Layout.of(home)))    // or .builder(layout).pointer("live.txt")
        .build();
    // end::pointer-activator[]
  }

  void platforms() throws Exception {
    // tag::platforms[]
    Updater updater = Updater.builder()
        .home(home)
        .source(source)
        .platform(Platform.parse("linux-aarch64"))   // default Platform.current(), from os.name/os.arch
        .build();
    // end::platforms[]
  }

  void releases_from_git_tags() throws Exception {
    // tag::releases-from-git-tags[]
    Updater updater = Updater.builder()
        .home(Path.of("/opt/myapp"))
        .source(GitReleaseSource.builder("https://git.example.com/acme/myapp.git")
            .cacheDirectory(Path.of("/opt/myapp/.updater/git"))   // the mirror of a remote
            .requireSignedTags()
            .gitConfig("gpg.ssh.allowedSignersFile", "/etc/myapp/allowed_signers")
            .build())
        .stager(GitTagStager.create())
        .after(Step.STAGE, CommandHook.shell("npm ci && npm run build").build())
        .healthCheck(HttpHealthCheck.of(URI.create("http://127.0.0.1:8080/api/health")))
        .build();
    // end::releases-from-git-tags[]
  }

  void docker_compose_deployments() throws Exception {
    // tag::docker-compose-deployments[]
    Layout layout = Layout.of(Path.of("/srv/shop"));
    Updater updater = Updater.builder()
        .home(layout.home())
        .source(source)
        .activator(ComposeActivator.builder(layout)
            .project("shop")                            // docker compose --project-name
            .healthTimeout(Duration.ofMinutes(3))       // default 2 minutes
            .build())
        .build();
    // end::docker-compose-deployments[]
  }
}
