package dev.updater.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.trust.SigningKey;
import dev.updater.maven.SampleBuilds.Build;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Maven builds of the sample project that must fail: each names what is wrong and what to
 * do, and leaves the update repository exactly as it was (every file and its SHA-256).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishRefusalsIT {
  Path tmp;
  Path project;
  Path repo;
  Path keyA;
  Path keyB;
  Map<String, String> published;

  @BeforeAll
  void publishTheFirstReleaseSigned(@TempDir Path dir) throws IOException, InterruptedException {
    tmp = dir;
    project = SampleBuilds.copySources(SampleBuilds.invoked("publish-and-update"),
        tmp.resolve("myapp"));
    repo = project.resolve("repo");
    keyA = tmp.resolve("a/updater.key");
    keyB = tmp.resolve("b/updater.key");
    Files.createDirectories(keyA.getParent());
    Files.createDirectories(keyB.getParent());
    SigningKey.generate().writeTo(keyA, tmp.resolve("a/updater.pub"));
    SigningKey.generate().writeTo(keyB, tmp.resolve("b/updater.pub"));
    Build first = publish(Map.of(), "package", "-Dupdater.key=" + keyA);
    assertThat(first.exitCode()).as(first.log()).isZero();
    assertThat(first.log()).contains("published 1.0.0 on channel stable");
    published = SampleBuilds.tree(repo);
    assertThat(published).containsKeys("channels/stable.json", "channels/stable.json.minisig",
        "releases/1.0.0/myapp-1.0.0.tar.gz");
  }

  @Test
  void aSignedChannelWithoutAKeyIsRefused() throws Exception {
    assertRefused(publish(Map.of()), "is signed", "-Dupdater.key=FILE");
  }

  @Test
  void anotherKeyThanTheChannelsIsRefused() throws Exception {
    assertRefused(publish(Map.of(), "-Dupdater.key=" + keyB),
        "does not verify with key", "publish with the key that signed it");
  }

  @Test
  void theSameVersionWithOtherBytesIsRefused() throws Exception {
    assertRefused(publish(Map.of(), "package", "-Dupdater.key=" + keyA, "-Dapp.note=changed"),
        "version 1.0.0 is already published", "publish a new version");
  }

  @Test
  void aMissingKeyFileIsRefused() throws Exception {
    assertRefused(publish(Map.of(), "-Dupdater.key=" + tmp.resolve("nowhere/updater.key")),
        "does not exist", "keygen");
  }

  @Test
  void aKeyVariableThatHoldsNoKeyIsRefusedWithoutPrintingIt() throws Exception {
    String notAKey = "untrusted comment: not a key\nc2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw==\n";
    Build b = publish(Map.of("UPDATER_TEST_KEY", notAKey), "-Dupdater.keyEnv=UPDATER_TEST_KEY");
    assertRefused(b, "UPDATER_TEST_KEY", "does not hold an updater secret key");
    assertThat(b.log()).doesNotContain("c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw");
  }

  private Build publish(Map<String, String> env, String... extra)
      throws IOException, InterruptedException {
    // Most builds run the goal alone on the archive the first build made; "package" rebuilds it.
    List<String> args = new ArrayList<>();
    List<String> rest = new ArrayList<>(List.of(extra));
    if (rest.remove("package")) {
      args.add("package");
    }
    args.addAll(List.of(SampleBuilds.goal("publish"), "-Dupdater.repository=" + repo,
        "-Dupdater.artifact=target/myapp-1.0.0.tar.gz"));
    args.addAll(rest);
    return SampleBuilds.mvn(project, env, args.toArray(String[]::new));
  }

  private void assertRefused(Build build, String... phrases) throws IOException {
    assertThat(build.exitCode()).as(build.log()).isNotZero();
    assertThat(build.log()).contains("BUILD FAILURE").contains(phrases);
    assertThat(SampleBuilds.tree(repo)).as("the repository after the refused build")
        .isEqualTo(published);
  }
}
