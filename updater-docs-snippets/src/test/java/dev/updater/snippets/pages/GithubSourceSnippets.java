package dev.updater.snippets.pages;

import dev.updater.core.Updater;
import dev.updater.core.source.github.GitHubReleaseSource;
import dev.updater.core.trust.TrustedKeys;
import java.nio.file.Path;
import java.util.Optional;

/** The Java blocks of docs/github-source.md. */
final class GithubSourceSnippets {
  Settings settings;
  String repo;

  /** The application's own settings, which may name the repository to update from. */
  interface Settings {
    Optional<String> updateRepo();
  }

  void updates_from_github_releases() throws Exception {
    // tag::updates-from-github-releases[]
    String repo = GitHubReleaseSource.resolveRepository(System.getenv(), settings.updateRepo(),
            Path.of("/opt/myapp"))
        .orElse("my-org/myapp");
    Updater updater = Updater.builder()
        .home(Path.of("/opt/myapp"))
        .source(GitHubReleaseSource.builder(repo)
            .assetName("myapp-{version}-linux-amd64.tar.gz")
            .trustedKeys(TrustedKeys.read(Path.of("/etc/myapp/updater.pub")))
            .build())
        .build();
    updater.check().ifPresent(updater::install);
    // end::updates-from-github-releases[]
  }

  void rate_limits_and_tokens() throws Exception {
    // tag::rate-limits-and-tokens[]
    GitHubReleaseSource.builder(repo)
        .assetName("myapp-{version}-linux-amd64.tar.gz")
        .token(System.getenv("GITHUB_TOKEN"))
        .build();
    // end::rate-limits-and-tokens[]
  }

  void choosing_the_repository_resolverepository() throws Exception {
    // tag::resolve-repository[]
    Optional<String> repo = GitHubReleaseSource.resolveRepository(
        System.getenv(), settings.updateRepo(), Path.of("/opt/myapp"));
    // end::resolve-repository[]
  }
}
