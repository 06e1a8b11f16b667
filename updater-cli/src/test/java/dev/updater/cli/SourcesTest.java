package dev.updater.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.source.github.GitHubReleaseSource;
import dev.updater.core.source.HttpReleaseSource;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --source} values turned into sources through core's scheme lookup. */
class SourcesTest {

  @TempDir
  Path dir;

  @Test
  void shouldOpenEachBuiltInForm() throws CliException {
    Sources sources = Sources.standard();

    assertThat(sources.open("https://updates.example.com/myapp/", Optional.empty()))
        .isInstanceOf(HttpReleaseSource.class);
    assertThat(sources.open(dir.toUri().toString(), Optional.empty()))
        .isInstanceOf(DirectoryReleaseSource.class);
    assertThat(sources.open(dir.toString(), Optional.empty()))
        .isInstanceOf(DirectoryReleaseSource.class);
    assertThat(sources.open("github:acme/myapp?asset=myapp-{version}.tar.gz", Optional.empty()))
        .isInstanceOf(GitHubReleaseSource.class);
  }

  @Test
  void shouldReportAnInvalidLocationAsABadArgumentWithTheForms() {
    assertThatThrownBy(() -> Sources.standard().open("github:acme/myapp", Optional.empty()))
        .isInstanceOfSatisfying(CliException.class,
            e -> assertThat(e.exitCode()).isEqualTo(Exit.USAGE))
        .hasMessageContaining("asset")
        .hasMessageContaining("file:///srv/updates/myapp");
  }
}
