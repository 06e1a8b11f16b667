package dev.updater.core.trust;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret keys encrypted at rest in minisign's password-protected format: saved and loaded with
 * the password, refused without it or with a wrong one, and exchanged with the real
 * {@code minisign} tool both ways (skipped, saying why, only when it is not installed).
 */
class EncryptedSigningKeyTest {
  private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
  /** scrypt limits that cost 1 MiB: the format is the same, the tests stay fast. */
  private static final long CHEAP_OPS = 1L << 15;
  private static final long CHEAP_MEM = 1L << 20;

  @TempDir Path tmp;

  @Test
  void aKeySavedWithAPasswordLoadsOnlyWithThatPassword() throws Exception {
    SigningKey key = SigningKey.generate();
    Path file = tmp.resolve("updater.key");
    key.save(file, PASSWORD, CHEAP_OPS, CHEAP_MEM);

    assertThat(Files.readString(file)).startsWith("untrusted comment: minisign encrypted secret")
        .doesNotContain(key.keyId().toLowerCase());
    assertThat(SigningKey.isEncrypted(file)).isTrue();
    SigningKey loaded = SigningKey.load(file, PASSWORD);
    assertThat(loaded.keyId()).isEqualTo(key.keyId());
    byte[] data = "index".getBytes(UTF_8);
    assertThat(TrustedKeys.parse(key.publicKeyText()).verify(data,
        loaded.sign(data, "c"))).isNotNull();

    assertThatThrownBy(() -> SigningKey.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encrypted with a password");
    assertThatThrownBy(() -> SigningKey.load(file, "wrong".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the password is wrong");
  }

  @Test
  void anUnencryptedKeyStaysLoadableWithoutAPassword() throws Exception {
    SigningKey key = SigningKey.generate();
    Path file = tmp.resolve("plain.key");
    key.save(file);

    assertThat(SigningKey.isEncrypted(file)).isFalse();
    assertThat(SigningKey.load(file).keyId()).isEqualTo(key.keyId());
    assertThat(SigningKey.load(file, PASSWORD).keyId()).as("a password is not needed")
        .isEqualTo(key.keyId());
  }

  @Test
  void aTamperedEncryptedKeyIsRefused() throws Exception {
    Path file = tmp.resolve("updater.key");
    SigningKey.generate().save(file, PASSWORD, CHEAP_OPS, CHEAP_MEM);
    List<String> lines = Files.readAllLines(file);
    byte[] line = Base64.getDecoder().decode(lines.get(1));
    line[line.length - 40] ^= 1;
    Files.writeString(tmp.resolve("tampered.key"),
        lines.get(0) + "\n" + Base64.getEncoder().encodeToString(line) + "\n");

    assertThatThrownBy(() -> SigningKey.load(tmp.resolve("tampered.key"), PASSWORD))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong");
  }

  @Test
  void aKeyFileAskingForTooMuchMemoryIsRefusedBeforeDerivingAnything() {
    MinisignSecretKey.Key key = new MinisignSecretKey.Key(new byte[8], new byte[32],
        new byte[32]);
    byte[] greedy = MinisignSecretKey.encode(key, null, 1L << 40, 1L << 40, new SecureRandom());
    greedy[2] = 'S';
    greedy[3] = 'c';

    assertThatThrownBy(() -> MinisignSecretKey.decode(greedy, PASSWORD))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MiB allowed");
  }

  @Test
  void theMinisignToolSignsWithAKeyThisLibraryEncrypted() throws Exception {
    Path minisign = minisign();
    SigningKey key = SigningKey.generate();
    key.writeTo(tmp.resolve("updater.key"), tmp.resolve("updater.pub"), PASSWORD); // the default
    Path data = Files.writeString(tmp.resolve("index.json"), "{\"serial\": 1}");

    Run sign = run(new String(PASSWORD) + "\n", minisign.toString(), "-S", "-s",
        tmp.resolve("updater.key").toString(), "-m", data.toString(), "-t", "signed by minisign");
    assertThat(sign.code()).as("%s", sign).isZero();

    assertThat(TrustedKeys.parse(key.publicKeyText()).verify(Files.readAllBytes(data),
        Files.readString(tmp.resolve("index.json.minisig")))).isNotNull();
  }

  @Test
  void aKeyMadeByTheMinisignToolLoadsWithItsPassword() throws Exception {
    Path minisign = minisign();
    String pw = new String(PASSWORD);
    Run generate = run(pw + "\n" + pw + "\n", minisign.toString(), "-G", "-p",
        tmp.resolve("m.pub").toString(), "-s", tmp.resolve("m.key").toString());
    assertThat(generate.code()).as("%s", generate).isZero();

    SigningKey key = SigningKey.load(tmp.resolve("m.key"), PASSWORD);
    Path data = Files.writeString(tmp.resolve("index.json"), "{\"serial\": 2}");
    Files.writeString(tmp.resolve("index.json.minisig"),
        key.sign(Files.readAllBytes(data), "signed by updater"));

    Run verify = run("", minisign.toString(), "-V", "-p", tmp.resolve("m.pub").toString(),
        "-m", data.toString());
    assertThat(verify.code()).as("%s", verify).isZero();
    assertThat(verify.out()).contains("signed by updater");
  }

  record Run(int code, String out) {}

  private Run run(String input, String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write(input.getBytes(UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  private static Path minisign() {
    Optional<Path> found = Optional.empty();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "minisign");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        found = Optional.of(candidate);
        break;
      }
    }
    assumeTrue(found.isPresent(), "minisign is not installed on this machine; install it with "
        + "'apt-get install -y minisign' (.ci/run does) to run this test");
    return found.get();
  }
}
