package dev.updater.core.source.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link GitHubReleaseSource#resolveRepository}: environment, then stored value, then origin. */
class GitHubRepositoryResolutionTest {

  @TempDir
  Path checkout;

  private static final Map<String, String> NO_ENV = Map.of();

  private void origin(String url) throws IOException {
    Path git = Files.createDirectories(checkout.resolve(".git"));
    Files.writeString(git.resolve("config"), "[core]\n\trepositoryformatversion = 0\n"
        + "\tbare = false\n"
        + "[remote \"upstream\"]\n\turl = https://github.com/upstream/other.git\n"
        + "[remote \"origin\"]\n\turl = " + url + "\n"
        + "\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
        + "[branch \"main\"]\n\tremote = origin\n\tmerge = refs/heads/main\n");
  }

  private Optional<String> resolve(Map<String, String> env, Optional<String> stored)
      throws IOException {
    return GitHubReleaseSource.resolveRepository(env, stored, checkout);
  }

  @Test
  void shouldPreferTheEnvironmentVariable() throws IOException {
    origin("https://github.com/from/remote.git");

    assertThat(resolve(Map.of("UPDATE_REPO", "from/env"), Optional.of("from/stored")))
        .contains("from/env");
  }

  @Test
  void shouldUseTheStoredValueWhenTheVariableIsUnset() throws IOException {
    origin("https://github.com/from/remote.git");

    assertThat(resolve(NO_ENV, Optional.of("from/stored"))).contains("from/stored");
  }

  @Test
  void shouldTreatABlankVariableAsUnset() throws IOException {
    assertThat(resolve(Map.of("UPDATE_REPO", "  "), Optional.of("from/stored")))
        .contains("from/stored");
  }

  @Test
  void shouldUseTheOriginRemoteOfTheCheckoutLast() throws IOException {
    origin("https://github.com/from/remote.git");

    assertThat(resolve(NO_ENV, Optional.empty())).contains("from/remote");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://github.com/acme/myapp.git",
      "https://github.com/acme/myapp",
      "https://github.com/acme/myapp/",
      "https://user@github.com/acme/myapp.git",
      "http://github.com/acme/myapp.git",
      "git@github.com:acme/myapp.git",
      "git@github.com:acme/myapp",
      "ssh://git@github.com/acme/myapp.git",
      "ssh://git@github.com:22/acme/myapp.git",
      "git://github.com/acme/myapp.git",
      "\"https://github.com/acme/myapp.git\"",
      "https://github.com/acme/myapp.git ; a comment"})
  void shouldReadOwnerAndRepoFromAnyFormOfTheOriginUrl(String url) throws IOException {
    origin(url);

    assertThat(resolve(NO_ENV, Optional.empty())).contains("acme/myapp");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://gitlab.com/group/sub/repo.git", "/srv/git/myapp.git",
      "https://github.com/acme", "file:///srv/git/acme/myapp.git"})
  void shouldFindNothingWhenTheOriginUrlHasNoOwnerAndRepo(String url) throws IOException {
    origin(url);

    assertThat(resolve(NO_ENV, Optional.empty())).isEmpty();
  }

  @Test
  void shouldFindNothingWithoutACheckout() throws IOException {
    assertThat(resolve(NO_ENV, Optional.empty())).isEmpty();
  }

  @Test
  void shouldFindNothingWithoutAnOriginRemote() throws IOException {
    Path git = Files.createDirectories(checkout.resolve(".git"));
    Files.writeString(git.resolve("config"),
        "[remote \"upstream\"]\n\turl = https://github.com/upstream/other.git\n");

    assertThat(resolve(NO_ENV, Optional.empty())).isEmpty();
  }

  @Test
  void shouldFollowTheGitdirFileOfALinkedWorktree() throws IOException {
    Path main = Files.createDirectories(checkout.resolve("main/.git"));
    Files.writeString(main.resolve("config"),
        "[remote \"origin\"]\n\turl = git@github.com:acme/worktree.git\n");
    Path worktreeGitDir = Files.createDirectories(main.resolve("worktrees/wt"));
    Files.writeString(worktreeGitDir.resolve("commondir"), "../..\n");
    Path worktree = Files.createDirectories(checkout.resolve("wt"));
    Files.writeString(worktree.resolve(".git"), "gitdir: " + worktreeGitDir + "\n");

    assertThat(GitHubReleaseSource.resolveRepository(NO_ENV, Optional.empty(), worktree))
        .contains("acme/worktree");
  }

  @Test
  void shouldRefuseAMalformedVariableInsteadOfFallingThrough() throws IOException {
    origin("https://github.com/from/remote.git");

    assertThatThrownBy(() -> resolve(Map.of("UPDATE_REPO", "not a repo"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("environment variable UPDATE_REPO 'not a repo' is not "
            + "'owner/repo'");
  }

  @Test
  void shouldRefuseAMalformedStoredValue() {
    assertThatThrownBy(() -> resolve(NO_ENV, Optional.of("acme")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored repository 'acme' is not 'owner/repo'");
  }

  @Test
  void shouldTrimTheVariable() throws IOException {
    assertThat(resolve(Map.of("UPDATE_REPO", " acme/myapp\n"), Optional.empty()))
        .contains("acme/myapp");
  }
}
