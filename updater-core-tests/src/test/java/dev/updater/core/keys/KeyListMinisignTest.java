package dev.updater.core.keys;

import static dev.updater.core.keys.KeyListFixture.NOW;
import static dev.updater.core.keys.KeyListFixture.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signatures of key lists and timestamps are plain minisign signatures: the real {@code
 * minisign -V} verifies each one with the signing key's public key, and shows the trusted comment
 * (for a timestamp, its expiry and channel).
 */
class KeyListMinisignTest {
  @TempDir Path tmp;

  @Test
  void minisignVerifiesKeyListAndTimestampSignatures() throws Exception {
    assumeTrue(onPath("minisign"), "minisign is not installed");
    KeyListFixture f = new KeyListFixture(tmp);
    SigningKey r1 = SigningKey.generate();
    SigningKey r2 = SigningKey.generate();
    SigningKey release = SigningKey.generate();
    SigningKey online = SigningKey.generate();
    KeyList one = KeyList.first(role(1, r1), role(1, release))
        .withTimestamp(Optional.of(role(1, online)));
    f.publish(one, r1);
    f.publish(one.next(role(1, r2), role(1, release)), r1, r2);
    f.index(release, 1, "1.0.0");
    f.keys.timestamp("stable", online, NOW.plus(Duration.ofHours(3)), NOW);

    assertThat(minisign(f.file("keys/1.json"), r1)).contains("key list 1");
    assertThat(minisign(f.file("keys/2.json"), r1)).contains("key list 2");
    assertThat(minisign(f.file("keys/2.json"), r2)).contains("key list 2");
    Path index = f.file("channels/stable.json");
    Path stamp = f.file("channels/stable.json.timestamp.minisig");
    assertThat(run(List.of("minisign", "-V", "-m", index.toString(), "-x", stamp.toString(),
        "-P", online.publicKeyText().split("\n")[1])))
        .contains("timestamp expires=" + NOW.plus(Duration.ofHours(3)) + " channel=stable");
  }

  private static String minisign(Path file, SigningKey key) throws Exception {
    Path signature = file.resolveSibling(file.getFileName() + "." + key.keyId() + ".minisig");
    return run(List.of("minisign", "-V", "-m", file.toString(), "-x", signature.toString(), "-P",
        key.publicKeyText().split("\n")[1]));
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  private static boolean onPath(String tool) throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
