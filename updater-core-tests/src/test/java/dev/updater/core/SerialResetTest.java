package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.testkit.Updaters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publisher starts its index counter again (a lost repository rebuilt from scratch): installs
 * that trusted a higher serial refuse the new index and say how to recover; the recovery is an
 * operator's act together with a key rotation, so that the old indexes with their higher serials,
 * signed by the retired key, cannot be replayed afterwards.
 */
class SerialResetTest {
  private static final Instant NOW = Instant.now();

  @TempDir Path tmp;
  private Path repo;
  private Path home;
  private final SigningKey oldKey = SigningKey.generate();
  private final SigningKey newKey = SigningKey.generate();

  @BeforeEach
  void trustSerialFive() throws IOException {
    repo = tmp.resolve("repo");
    home = tmp.resolve("home");
    writeIndex(oldKey, 5, "1.0.0");
    assertThat(updater(oldKey).check(true)).isPresent();
  }

  private void writeIndex(SigningKey key, long serial, String version) throws IOException {
    Artifact artifact = new Artifact("app.tar.gz", 10, "0".repeat(64),
        "releases/" + version + "/app.tar.gz");
    RepositoryWriter.signed(repo, key).writeIndex(new ReleaseIndex("app", "stable", serial,
        Optional.of(NOW.plus(Duration.ofDays(30))),
        List.of(Release.of(Version.parse(version), "stable", artifact))));
  }

  private Updater updater(SigningKey trusted) {
    return Updaters.builder(home, DirectoryReleaseSource.of(repo,
        TrustedKeys.parse(trusted.publicKeyText()))).checkCacheTtl(Duration.ZERO).build();
  }

  private Path trustFile() {
    return home.resolve(".updater/trust.json");
  }

  @Test
  void aResetCounterIsRefusedWithTheWayToRecover() throws IOException {
    byte[] trustBefore = Files.readAllBytes(trustFile());
    writeIndex(newKey, 1, "1.1.0");

    assertThatThrownBy(() -> updater(newKey).check(true))
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED))
        .hasMessageContaining("has serial 1, lower than serial 5 this install has already"
            + " trusted")
        .hasMessageContaining("remove channel 'stable' from " + trustFile());
    assertThat(Files.readAllBytes(trustFile())).isEqualTo(trustBefore);
  }

  @Test
  void afterTheOperatorForgetsTheChannelTheNewCounterIsTrustedAndTheOldIndexesAreNot()
      throws IOException {
    byte[] oldIndex = Files.readAllBytes(repo.resolve("channels/stable.json"));
    byte[] oldSignature = Files.readAllBytes(repo.resolve("channels/stable.json.minisig"));
    writeIndex(newKey, 1, "1.1.0");
    ObjectMapper json = new ObjectMapper();
    ObjectNode trust = (ObjectNode) json.readTree(trustFile().toFile());
    ((ObjectNode) trust.get("channels")).remove("stable"); // the documented recovery step
    json.writeValue(trustFile().toFile(), trust);

    assertThat(updater(newKey).check(true)).map(Release::version)
        .contains(Version.parse("1.1.0"));

    // An attacker replays the old serial-5 index: its key was retired with the reset.
    Files.write(repo.resolve("channels/stable.json"), oldIndex);
    Files.write(repo.resolve("channels/stable.json.minisig"), oldSignature);
    assertThatThrownBy(() -> updater(newKey).check(true))
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED))
        .hasMessageContaining("not valid");
  }
}
