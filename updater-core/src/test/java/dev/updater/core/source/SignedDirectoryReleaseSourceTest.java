package dev.updater.core.source;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.internal.format.IndexReader;
import dev.updater.core.internal.format.MetadataJson;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedDirectoryReleaseSourceTest {

  @TempDir
  Path base;

  private Path repo;
  private Path channels;
  private final SigningKey key = SigningKey.generate();
  private DirectoryReleaseSource source;

  @BeforeEach
  void createRepository() throws IOException {
    repo = Files.createDirectories(base.resolve("repo"));
    channels = Files.createDirectories(repo.resolve("channels"));
    source = DirectoryReleaseSource.of(repo, TrustedKeys.parse(key.publicKeyText()));
  }

  @Test
  void shouldReadAnIndexSignedByATrustedKey() throws IOException {
    ReleaseIndex published = publish("stable", key);

    assertThat(source.index("stable")).isEqualTo(published);
  }

  @Test
  void shouldReadAnIndexSignedByTheMinisignTool() throws IOException {
    copyResource("stable.json", channels.resolve("stable.json"));
    copyResource("stable.json.minisig", channels.resolve("stable.json.minisig"));
    TrustedKeys minisignKey = TrustedKeys.parse(resourceText("minisign.pub"));

    ReleaseIndex index = DirectoryReleaseSource.of(repo, minisignKey).index("stable");

    assertThat(index.serial()).isEqualTo(3);
    assertThat(index.releases()).hasSize(1);
  }

  @Test
  void shouldRefuseAnIndexSignedByTheMinisignToolWithAKeyThatIsNotTrusted() throws IOException {
    copyResource("stable.json", channels.resolve("stable.json"));
    copyResource("stable.json.minisig", channels.resolve("stable.json.minisig"));
    TrustedKeys otherKey = TrustedKeys.parse(resourceText("other.pub"));

    assertThatThrownBy(() -> DirectoryReleaseSource.of(repo, otherKey).index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessage(channels.resolve("stable.json") + ": stable.json.minisig: signed by key "
            + "64F75A4F2A38586F which is not trusted (trusted: 32A3A59680910F89)");
  }

  @Test
  void shouldAcceptEitherOfTwoTrustedKeysDuringRotation() throws IOException {
    SigningKey next = SigningKey.generate();
    DirectoryReleaseSource rotating = DirectoryReleaseSource.of(repo,
        TrustedKeys.parse(key.publicKeyText(), next.publicKeyText()));

    publish("stable", key);
    assertThat(rotating.index("stable").serial()).isEqualTo(1);
    publish("stable", next);
    assertThat(rotating.index("stable").serial()).isEqualTo(1);
  }

  @Test
  void shouldRefuseAnIndexWithoutSignature() throws IOException {
    Files.write(channels.resolve("stable.json"), MetadataJson.write(index("stable")));

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("the index is not signed: there is no stable.json.minisig");
  }

  @Test
  void shouldRefuseAnIndexChangedAfterSigningBeforeParsingIt() throws IOException {
    publish("stable", key);
    // Not even JSON: if the parser saw it, the error would be a parse error.
    Files.writeString(channels.resolve("stable.json"), "{\"channel\": \"stable\", \"serial\": 99");

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("bad signature: ")
        .hasMessageNotContaining("JSON");
  }

  @Test
  void shouldRefuseAnIndexWithOneByteFlipped() throws IOException {
    publish("stable", key);
    Path file = channels.resolve("stable.json");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("bad signature: ");
  }

  @Test
  void shouldRefuseAnIndexSignedByAKeyThatIsNotTrusted() throws IOException {
    SigningKey stranger = SigningKey.generate();
    publish("stable", stranger);

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("signed by key " + stranger.keyId() + " which is not trusted");
  }

  @Test
  void shouldRefuseAGarbageSignature() throws IOException {
    publish("stable", key);
    Files.writeString(channels.resolve("stable.json.minisig"), "not a signature");

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("stable.json.minisig: malformed signature file: it has 1 line(s)");
  }

  @Test
  void shouldRefuseASignatureThatIsNotUtf8() throws IOException {
    publish("stable", key);
    Files.write(channels.resolve("stable.json.minisig"), new byte[] {(byte) 0xc3, 0x28});

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("stable.json.minisig is not UTF-8 text");
  }

  @Test
  void shouldRefuseASignatureLargerThanTheCapWithoutReadingIt() throws IOException {
    publish("stable", key);
    Files.write(channels.resolve("stable.json.minisig"),
        new byte[IndexReader.MAX_SIGNATURE_BYTES + 1]);

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("is " + (IndexReader.MAX_SIGNATURE_BYTES + 1) + " bytes, more than "
            + "the 4096 bytes a signature may have; it was not read");
  }

  @Test
  void shouldRefuseASignatureThatIsASymlinkLeadingOutside() throws IOException {
    publish("stable", key);
    Path outside = Files.move(channels.resolve("stable.json.minisig"),
        base.resolve("stable.json.minisig"));
    Files.createSymbolicLink(channels.resolve("stable.json.minisig"), outside);

    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("leads outside the repository");
  }

  @Test
  void shouldRefuseAValidlySignedIndexServedUnderAnotherChannel() throws IOException {
    publish("stable", key);
    Files.copy(channels.resolve("stable.json"), channels.resolve("beta.json"));
    Files.copy(channels.resolve("stable.json.minisig"), channels.resolve("beta.json.minisig"));

    assertThatThrownBy(() -> source.index("beta"))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("index for channel 'stable' served as 'beta'");
  }

  @Test
  void shouldStillReportAnUnpublishedChannelAsNoSuchFile() {
    assertThatThrownBy(() -> source.index("stable"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("channel 'stable' is not published");
  }

  @Test
  void shouldLetAnUnsignedSourceIgnoreSignatures() throws IOException {
    ReleaseIndex published = publish("stable", SigningKey.generate());
    Files.writeString(channels.resolve("stable.json.minisig"), "garbage");

    assertThat(DirectoryReleaseSource.of(repo).index("stable")).isEqualTo(published);
  }

  @Test
  void shouldNameItsTrustedKeysInItsDescription() {
    assertThat(source.describe()).isEqualTo("directory " + repo + " (signed by " + key.keyId()
        + ")");
  }

  @Test
  void shouldLetTheSharedReaderRefuseAMissingSignatureForAnyTransport() {
    IndexReader reader = IndexReader.signed(TrustedKeys.parse(key.publicKeyText()));

    assertThat(reader.verifiesSignatures()).isTrue();
    assertThat(IndexReader.unsigned().verifiesSignatures()).isFalse();
    assertThatThrownBy(() -> reader.read("stable", MetadataJson.write(index("stable")),
        Optional.empty()))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("the index is not signed");
  }

  @Test
  void shouldLetTheSharedReaderVerifyBytesAndSignature() throws IOException {
    byte[] bytes = MetadataJson.write(index("stable"));
    IndexReader reader = IndexReader.signed(TrustedKeys.parse(key.publicKeyText()));

    assertThat(reader.read("stable", bytes, Optional.of(key.sign(bytes, "c").getBytes(UTF_8))))
        .isEqualTo(index("stable"));
  }

  // ---------------------------------------------------------------------------------------------

  private static ReleaseIndex index(String channel) {
    Artifact artifact = new Artifact("app.tar.gz", 3, "a".repeat(64), "releases/1.0.0/app.tar.gz");
    return new ReleaseIndex("myapp", channel, 1, Optional.empty(),
        List.of(Release.of(Version.parse("1.0.0"), channel, artifact)));
  }

  /** Writes the channel's index and its signature by {@code signer}. */
  private ReleaseIndex publish(String channel, SigningKey signer) throws IOException {
    ReleaseIndex index = index(channel);
    byte[] bytes = MetadataJson.write(index);
    Files.write(channels.resolve(channel + ".json"), bytes);
    Files.writeString(channels.resolve(channel + ".json.minisig"),
        signer.sign(bytes, "serial " + index.serial()));
    return index;
  }

  private static void copyResource(String name, Path target) throws IOException {
    try (InputStream in = resource(name)) {
      Files.copy(in, target);
    }
  }

  private static String resourceText(String name) throws IOException {
    try (InputStream in = resource(name)) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = SignedDirectoryReleaseSourceTest.class.getResourceAsStream(
        "/dev/updater/core/minisign/" + name);
    assertThat(in).as(name).isNotNull();
    return in;
  }
}
