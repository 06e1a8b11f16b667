package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code publish} and {@code keygen} refuse, and what they keep. */
class PublishTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path repo;
  Path key;
  Path build;

  @BeforeEach
  void keygen() {
    repo = tmp.resolve("repo");
    key = tmp.resolve("keys/updater.key");
    build = tmp.resolve("build");
    assertThat(cli.run("keygen", "--out", tmp.resolve("keys")).code()).isZero();
  }

  Result publish(String version, Path file, Object... extra) {
    Object[] base = {"publish", "--repo", repo, "--version", version, "--key", key,
        "--artifact", file};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli.run(all);
  }

  String index() throws IOException {
    return Files.readString(repo.resolve("channels/stable.json"));
  }

  @Test
  void keygenWritesAPrivateSecretKeyAndRefusesToOverwriteIt() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(tmp.resolve("keys/updater.pub")))
        .startsWith("untrusted comment: minisign public key ");
    String before = Files.readString(key);

    Result again = cli.run("keygen", "--out", tmp.resolve("keys"));
    assertThat(again.code()).isEqualTo(Exit.REFUSED);
    assertThat(again.err()).contains("already exists", "--name");
    assertThat(Files.readString(key)).isEqualTo(before);

    assertThat(cli.run("keygen", "--out", tmp.resolve("keys"), "--name", "next").code()).isZero();
    assertThat(tmp.resolve("keys/next.key")).isRegularFile();
  }

  @Test
  void publishingAVersionAgainWithOtherBytesIsRefusedUnlessForced() throws IOException {
    assertThat(publish("1.0.0", artifact(build, "app.zip", "1.0.0")).code()).isZero();
    String published = index();

    Result refused = publish("1.0.0", artifact(build.resolve("rebuilt"), "app.zip", "1.0.0-x"));
    assertThat(refused.code()).as("%s", refused).isEqualTo(Exit.REFUSED);
    assertThat(refused.err()).contains("1.0.0 is already published", "--force");
    assertThat(index()).isEqualTo(published);

    Result forced = publish("1.0.0", artifact(build.resolve("rebuilt"), "app.zip", "1.0.0-x"),
        "--force");
    assertThat(forced.code()).as("%s", forced).isZero();
    assertThat(index()).contains("\"serial\": 2").isNotEqualTo(published);
  }

  @Test
  void publishingTheSameBytesAgainRaisesTheSerialAndKeepsOneEntry() throws IOException {
    Path file = artifact(build, "app.zip", "1.0.0");
    assertThat(publish("1.0.0", file).code()).isZero();
    Result again = publish("1.0.0", file, "--notes", "now with notes");
    assertThat(again.code()).as("%s", again).isZero();
    assertThat(index()).contains("\"serial\": 2", "now with notes");
    assertThat(index().split("\"version\": \"1.0.0\"")).hasSize(2);
  }

  @Test
  void requirementsAndChannelsAreWritten() throws IOException {
    Result r = publish("2.0.0-rc.1", artifact(build, "app.zip", "2.0.0-rc.1"), "--channel", "beta",
        "--requires-db", "postgresql,SQLite", "--upgrades-from", "1.4.0", "--expires-in", "12h",
        "--application", "myapp");
    assertThat(r.code()).as("%s", r).isZero();
    String beta = Files.readString(repo.resolve("channels/beta.json"));
    assertThat(beta).contains("\"application\": \"myapp\"", "\"channel\": \"beta\"",
        "\"postgresql\"", "\"sqlite\"", "\"upgradesFrom\": \"1.4.0\"",
        "\"expires\": \"2026-03-02T00:00:00Z\"");
    assertThat(repo.resolve("channels/beta.json.minisig")).isRegularFile();
    assertThat(repo.resolve("channels/stable.json")).doesNotExist();
  }

  @Test
  void aSignedChannelIsNotPublishedUnsigned() throws IOException {
    assertThat(publish("1.0.0", artifact(build, "a.zip", "1.0.0")).code()).isZero();
    Result r = cli.run("publish", "--repo", repo, "--version", "1.1.0",
        artifact(build, "b.zip", "1.1.0"));
    assertThat(r.code()).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).contains("is signed", "--key");
    assertThat(index()).doesNotContain("1.1.0");
  }

  @Test
  void anIndexTamperedWithIsNotReSignedUnlessForced() throws IOException {
    assertThat(publish("1.0.0", artifact(build, "a.zip", "1.0.0")).code()).isZero();
    Path index = repo.resolve("channels/stable.json");
    Files.writeString(index, index().replace("\"serial\": 1", "\"serial\": 5"));
    Result r = publish("1.1.0", artifact(build, "b.zip", "1.1.0"));
    assertThat(r.code()).as("%s", r).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).contains("does not verify", "tampering", "--force");
    assertThat(publish("1.1.0", artifact(build, "b.zip", "1.1.0"), "--force").code()).isZero();
    assertThat(index()).contains("\"serial\": 6");
  }

  @Test
  void anUnsignedRepositoryCanBePublishedWithAWarning() throws IOException {
    Result r = cli.run("publish", "--repo", repo, "--version", "1.0.0",
        artifact(build, "a.zip", "1.0.0"));
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.err()).contains("is not signed", "--unsigned", "updater keygen");
    assertThat(repo.resolve("channels/stable.json.minisig")).doesNotExist();
  }

  @Test
  void anotherApplicationIsRefused() throws IOException {
    assertThat(publish("1.0.0", artifact(build, "a.zip", "1.0.0"), "--application", "one")
        .code()).isZero();
    Result r = publish("1.1.0", artifact(build, "b.zip", "1.1.0"), "--application", "two");
    assertThat(r.code()).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).contains("belongs to application 'one'");
  }

  @Test
  void badArgumentsAreUsageErrors() throws IOException {
    Path file = artifact(build, "a.zip", "1.0.0");
    assertThat(publish("1.x", file).err()).contains("--version", "Semantic Version");
    assertThat(publish("1.x", file).code()).isEqualTo(Exit.USAGE);
    assertThat(publish("1.0.0", file, "--expires-in", "soon").code()).isEqualTo(Exit.USAGE);
    assertThat(publish("1.0.0", file, "--channel", "../x").code()).isEqualTo(Exit.USAGE);
    assertThat(publish("1.0.0", tmp.resolve("missing.zip")).code()).isEqualTo(Exit.USAGE);
    Result rollout = publish("1.0.0", file, "--rollout", "101");
    assertThat(rollout.code()).isEqualTo(Exit.USAGE);
    assertThat(rollout.err()).contains("--rollout '101' must be a percentage from 0");
    Result noKey = cli.run("publish", "--repo", repo, "--version", "1.0.0", "--key",
        tmp.resolve("keys/none.key"), file);
    assertThat(noKey.code()).isEqualTo(Exit.USAGE);
    assertThat(noKey.err()).contains("does not exist", "updater keygen");
    assertThat(repo.resolve("channels")).doesNotExist();
  }
}
