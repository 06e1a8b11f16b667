package dev.updater.cli;

import static dev.updater.cli.CliHarness.artifact;
import static dev.updater.cli.CliHarness.live;
import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key lists through the command, in-process on the real disk: {@code keys init}, publish,
 * install with {@code --trust-root}, {@code keys rotate} to a new release key, install follows
 * without being told, an index by the old key is refused; thresholds with {@code keys sign};
 * timestamps with {@code updater timestamp}; bad input refused with a clear message and nothing
 * written or installed.
 */
class KeysCliTest {
  @TempDir Path tmp;
  final CliHarness cli = new CliHarness();
  Path keys;
  Path repo;
  Path home;

  @BeforeEach
  void keygenRootAndTwoReleaseKeys() {
    keys = tmp.resolve("keys");
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    for (String name : new String[] {"root", "release", "release2", "online"}) {
      assertThat(cli.run("keygen", "--out", keys, "--name", name).code()).isZero();
    }
  }

  Path key(String name) {
    return keys.resolve(name + ".key");
  }

  Path pub(String name) {
    return keys.resolve(name + ".pub");
  }

  Result ok(Object... args) {
    Result r = cli.run(args);
    assertThat(r.code()).as("%s", r).isZero();
    return r;
  }

  void publish(String version, String key, String... extra) throws IOException {
    Object[] base = {"publish", "--repo", repo, "--version", version, "--key", key(key),
        "--artifact", artifact(tmp.resolve("build"), "app-" + version + ".zip", version)};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    ok(all);
  }

  Result install(Object... extra) {
    Object[] base = {"install", "--home", home, "--source", repo};
    Object[] all = new Object[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return cli.run(all);
  }

  byte[] trust() throws IOException {
    Path file = home.resolve(".updater/trust.json");
    return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
  }

  @Test
  void rotationIsFollowedWithoutReconfiguring() throws IOException {
    Result init = ok("keys", "init", "--repo", repo, "--key", key("root"),
        "--publishing", pub("release"));
    assertThat(init.out()).contains("wrote keys/1.json", "key list 1: root 1 of [");
    publish("1.0.0", "release");
    Result first = install("--trust-root", pub("root"));
    assertThat(first.code()).as("%s", first).isZero();
    assertThat(live(home)).isEqualTo("1.0.0");

    ok("keys", "rotate", "--repo", repo, "--key", key("root"), "--publishing", pub("release2"));
    publish("1.1.0", "release2", "--force"); // the index was signed by the rotated-out key
    Result second = install(); // --trust-root is remembered in the home
    assertThat(second.code()).as("%s", second).isZero();
    assertThat(live(home)).isEqualTo("1.1.0");

    publish("1.2.0", "release"); // the old, rotated-out key
    byte[] before = trust();
    Result refused = install();
    assertThat(refused.code()).as("%s", refused).isEqualTo(Exit.VERIFICATION);
    assertThat(refused.err()).contains("signed by 0 of the publishing keys", "keys/2.json",
        "is revoked");
    assertThat(live(home)).isEqualTo("1.1.0");
    assertThat(trust()).isEqualTo(before);
  }

  @Test
  void revokeAndThresholdWithSign() throws IOException {
    ok("keys", "init", "--repo", repo, "--key", key("root"), "--publishing", pub("release"),
        "--publishing", pub("release2"), "--publishing-threshold", "2");
    publish("1.0.0", "release");
    Result one = install("--trust-root", pub("root"));
    assertThat(one.code()).as("%s", one).isEqualTo(Exit.VERIFICATION);
    assertThat(one.err()).contains("is signed by 1 of the publishing keys", "2 are needed");
    assertThat(home.resolve("current")).doesNotExist();

    Result sign = ok("keys", "sign", "--repo", repo, "--key", key("release2"), "--json");
    assertThat(sign.out()).contains("\"signedBy\"");
    assertThat(install("--trust-root", pub("root")).code()).isZero();

    String releaseId = keyId("release");
    Result tooFew = cli.run("keys", "revoke", "--repo", repo, "--key", key("root"),
        "--revoke", releaseId);
    assertThat(tooFew.code()).isEqualTo(Exit.REFUSED);
    assertThat(tooFew.err()).contains("fewer than its threshold 2");
    assertThat(repo.resolve("keys/2.json")).doesNotExist();
    ok("keys", "rotate", "--repo", repo, "--key", key("root"), "--publishing-threshold", "1");
    ok("keys", "revoke", "--repo", repo, "--key", key("root"), "--revoke", releaseId);
    Result show = ok("keys", "show", "--repo", repo);
    assertThat(show.out()).contains("key list 3").doesNotContain(releaseId);
    publish("1.1.0", "release");
    assertThat(install().code()).isEqualTo(Exit.VERIFICATION);
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void timestampsSignedByTheOnlineKey() throws IOException {
    ok("keys", "init", "--repo", repo, "--key", key("root"), "--publishing", pub("release"),
        "--timestamp-key", pub("online"));
    publish("1.0.0", "release");
    Result missing = install("--trust-root", pub("root"));
    assertThat(missing.code()).isEqualTo(Exit.VERIFICATION);
    assertThat(missing.err()).contains("timestamp.minisig is missing", "updater timestamp");

    Result wrong = cli.run("timestamp", "--repo", repo, "--key", key("release"));
    assertThat(wrong.code()).isEqualTo(Exit.REFUSED);
    assertThat(wrong.err()).contains("is not the timestamp key of keys/1.json");
    assertThat(repo.resolve("channels/stable.json.timestamp.minisig")).doesNotExist();

    Result stamp = ok("timestamp", "--repo", repo, "--key", key("online"), "--expires-in", "6h");
    assertThat(stamp.out()).contains("expires 2026-03-01T18:00:00Z");
    assertThat(install("--trust-root", pub("root")).code()).isZero();
    assertThat(live(home)).isEqualTo("1.0.0");
  }

  @Test
  void badInputIsRefusedClearlyAndChangesNothing() throws IOException {
    ok("keys", "init", "--repo", repo, "--key", key("root"), "--publishing", pub("release"));
    publish("1.0.0", "release");

    Result both = install("--trust", pub("release"), "--trust-root", pub("root"));
    assertThat(both.code()).isEqualTo(Exit.USAGE);
    assertThat(both.err()).contains("--trust, --trust-root and --unsigned contradict");
    Result threshold = install("--trust-root", pub("root"), "--root-threshold", "2");
    assertThat(threshold.code()).isEqualTo(Exit.USAGE);
    assertThat(threshold.err()).contains("--root-threshold 2 must be a number from 1 to the "
        + "number of --trust-root keys (1)");
    Result secret = install("--trust-root", key("root"));
    assertThat(secret.code()).isEqualTo(Exit.USAGE);
    assertThat(secret.err()).contains("not the secret key");
    assertThat(home.resolve(".updater/source.json")).doesNotExist();

    Result notRoot = cli.run("keys", "rotate", "--repo", repo, "--key", key("release"),
        "--publishing", pub("release2"));
    assertThat(notRoot.code()).isEqualTo(Exit.REFUSED);
    assertThat(notRoot.err()).contains("is not a root key of keys/1.json");
    Result again = cli.run("keys", "init", "--repo", repo, "--key", key("root"),
        "--publishing", pub("release2"));
    assertThat(again.code()).isEqualTo(Exit.REFUSED);
    assertThat(again.err()).contains("already has key list 1");
    Result action = cli.run("keys", "frobnicate", "--repo", repo);
    assertThat(action.code()).isEqualTo(Exit.USAGE);
    try (var files = Files.list(repo.resolve("keys"))) {
      assertThat(files.count()).isEqualTo(2); // keys/1.json and its one signature
    }
  }

  private String keyId(String name) throws IOException {
    String first = Files.readAllLines(pub(name)).get(0);
    return first.substring(first.lastIndexOf(' ') + 1);
  }
}
