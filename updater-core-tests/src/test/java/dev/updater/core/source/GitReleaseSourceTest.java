package dev.updater.core.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Step;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.UpdateResult;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.command.CommandHook;
import dev.updater.core.stage.GitTagStager;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases from the semantic-version tags of a git repository made here with the real {@code git}:
 * the tags listed per channel, a tag checked out into the staging directory and built by a hook,
 * rollback, a remote read through its mirror, signed tags verified with {@code git verify-tag}
 * (SSH signatures), and a tag moved after the check refused.
 */
class GitReleaseSourceTest {
  static final Version V1 = Version.parse("1.0.0");
  static final Version V2 = Version.parse("1.1.0");

  @TempDir Path tmp;
  Path repo;
  Path home;

  @BeforeEach
  void makeARepositoryWithTags() throws Exception {
    repo = tmp.resolve("app");
    home = tmp.resolve("home");
    Files.createDirectories(repo);
    git("init", "--quiet", "--initial-branch=main");
    commit("1.0.0");
    git("tag", "-a", "v1.0.0", "-m", "First release");
    commit("1.1.0");
    git("tag", "-a", "v1.1.0", "-m", "Faster start");
    commit("1.2.0-rc.1");
    git("tag", "1.2.0-rc.1"); // lightweight, pre-release
    git("tag", "nightly");    // not a version
  }

  private void commit(String version) throws Exception {
    Files.writeString(repo.resolve("VERSION"), version + "\n");
    Files.writeString(repo.resolve("build.sh"), "echo \"built $UPDATER_TO\" > built.txt\n");
    git("add", "-A");
    git("commit", "--quiet", "-m", "Release " + version);
  }

  private String git(String... args) throws Exception {
    List<String> line = new ArrayList<>(List.of("git", "-c", "user.name=Tester",
        "-c", "user.email=tester@example.com", "-c", "commit.gpgsign=false",
        "-c", "tag.gpgsign=false"));
    line.addAll(List.of(args));
    Process p = new ProcessBuilder(line).directory(repo.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), out).isZero();
    return out.strip();
  }

  private Updater updater(GitReleaseSource source) {
    return Updaters.builder(home, source).stager(GitTagStager.create())
        .after(Step.STAGE, CommandHook.shell("sh build.sh").build()).build();
  }

  private static List<String> versions(ReleaseIndex index) {
    return index.releases().stream().map(r -> r.version().toString()).sorted().toList();
  }

  @Test
  void shouldListTheVersionTagsPerChannel() throws IOException {
    GitReleaseSource source = GitReleaseSource.builder(repo.toString()).build();

    assertThat(versions(source.index("stable"))).containsExactly("1.0.0", "1.1.0");
    assertThat(versions(source.index("beta"))).containsExactly("1.0.0", "1.1.0", "1.2.0-rc.1");
    assertThat(source.index("stable").find(V2).orElseThrow().notes()).isEqualTo("Faster start");
    assertThatThrownBy(() -> source.index("nightly")).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("only the channels");
  }

  @Test
  void shouldCheckTheTagOutBuildItAndRollBack() throws Exception {
    Updater updater = updater(GitReleaseSource.builder(repo.toString()).build());
    updater.install(updater.find(V1).orElseThrow());

    UpdateResult result = updater.install(updater.check().orElseThrow());

    assertThat(result).isEqualTo(new UpdateResult.Updated(Optional.of(V1), V2));
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(home.resolve("current/built.txt")).hasContent("built 1.1.0");
    assertThat(home.resolve("current/.git")).doesNotExist();

    assertThat(updater.rollback()).isEqualTo(new UpdateResult.RolledBack(V2, V1));
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
    assertThat(home.resolve("current/built.txt")).hasContent("built 1.0.0");
  }

  @Test
  void shouldReadARemoteRepositoryThroughItsMirror() throws Exception {
    GitReleaseSource source = GitReleaseSource.builder(repo.toUri().toString())
        .cacheDirectory(tmp.resolve("cache")).build();
    Updater updater = updater(source);
    updater.install(updater.find(V1).orElseThrow());

    commit("1.3.0");
    git("tag", "-a", "v1.3.0", "-m", "Later");
    Release later = updater.check(true).orElseThrow();

    assertThat(later.version()).isEqualTo(Version.parse("1.3.0"));
    updater.install(later);
    assertThat(home.resolve("current/VERSION")).hasContent("1.3.0");
  }

  @Test
  void shouldListOnlyTagsWhoseSignatureGitVerifies() throws Exception {
    Path key = tmp.resolve("signing");
    Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
        "tester@example.com", "-f", key.toString()).redirectErrorStream(true).start();
    assertThat(keygen.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keygen.exitValue()).isZero();
    Path allowed = Files.writeString(tmp.resolve("allowed_signers"), "tester@example.com "
        + Files.readString(tmp.resolve("signing.pub")));
    commit("2.0.0");
    git("-c", "gpg.format=ssh", "-c", "user.signingkey=" + tmp.resolve("signing.pub"), "tag",
        "-s", "v2.0.0", "-m", "Signed release");

    GitReleaseSource source = GitReleaseSource.builder(repo.toString()).requireSignedTags()
        .gitConfig("gpg.ssh.allowedSignersFile", allowed.toString()).build();

    assertThat(versions(source.index("stable"))).containsExactly("2.0.0");
    Files.writeString(allowed, "someone@example.com " + Files.readString(
        tmp.resolve("signing.pub")).replace("AAAA", "AAAB"));
    assertThat(versions(source.index("stable"))).isEmpty();
  }

  @Test
  void shouldRefuseATagMovedAfterTheCheckWithNothingChanged() throws Exception {
    Updater updater = updater(GitReleaseSource.builder(repo.toString()).build());
    updater.install(updater.find(V1).orElseThrow());
    Release checked = updater.find(V2).orElseThrow();
    git("tag", "-f", "-a", "v1.1.0", "-m", "Moved", "HEAD");

    assertThatThrownBy(() -> updater.install(checked)).isInstanceOfSatisfying(
        UpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED));
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
    assertThat(home.resolve("releases/1.1.0")).doesNotExist();
  }

  @Test
  void shouldRefuseBadRepositoriesClearly() {
    assertThatThrownBy(() -> GitReleaseSource.builder("https://git.example.com/app.git").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cacheDirectory");
    assertThatThrownBy(() -> GitReleaseSource.builder("--upload-pack=evil"))
        .isInstanceOf(IllegalArgumentException.class);
    GitReleaseSource missing = GitReleaseSource.builder(tmp.resolve("nothing").toString()).build();
    assertThatThrownBy(() -> missing.index("stable")).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("no git repository there");
    Updater updater = Updaters.builder(home, missing).stager(GitTagStager.create()).build();
    assertThatThrownBy(updater::check).isInstanceOfSatisfying(UpdateException.class,
        e -> assertThat(e.getMessage()).contains("no git repository there"));
    assertThat(home.resolve("releases")).doesNotExist();
  }
}
