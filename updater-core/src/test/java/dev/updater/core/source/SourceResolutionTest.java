package dev.updater.core.source;

import dev.updater.core.UpdateException;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.source.ResolvedSource.Origin;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order in which a source is chosen (environment, stored, default) and the stored settings
 * file.
 */
class SourceResolutionTest {
  private static final String VAR = "MYAPP_UPDATE_SOURCE";
  private static final URI DEFAULT = URI.create("https://updates.example.com/myapp/");
  private static final URI STORED = URI.create("https://mirror.example.org/myapp/");

  @TempDir
  Path home;

  private void store() {
    SourceSettings.of(STORED).withTrustedKeys(List.of(Path.of("/etc/myapp/updater.pub")))
        .withChannel("beta").write(home);
  }

  @Test
  void shouldPreferTheEnvironmentVariableOverStoredAndDefault() {
    store();

    ResolvedSource r = ReleaseSources.resolve(Map.of(VAR, "https://env.example.net/app/"), VAR,
        home, DEFAULT);

    assertThat(r.origin()).isEqualTo(Origin.ENVIRONMENT);
    assertThat(r.settings()).isEqualTo(SourceSettings.of(URI.create("https://env.example.net/app/")));
  }

  @Test
  void shouldUseTheStoredSettingsWhenTheVariableIsAbsentOrBlank() {
    store();

    ResolvedSource absent = ReleaseSources.resolve(Map.of(), VAR, home, DEFAULT);
    ResolvedSource blank = ReleaseSources.resolve(Map.of(VAR, "  "), VAR, home, DEFAULT);

    assertThat(absent.origin()).isEqualTo(Origin.STORED);
    assertThat(absent.settings().source()).isEqualTo(STORED);
    assertThat(absent.settings().trustedKeys()).containsExactly(Path.of("/etc/myapp/updater.pub"));
    assertThat(absent.settings().channel()).contains("beta");
    assertThat(blank).isEqualTo(absent);
  }

  @Test
  void shouldFallBackToTheDefault() {
    ResolvedSource r = ReleaseSources.resolve(Map.of(), VAR, home, DEFAULT);

    assertThat(r.origin()).isEqualTo(Origin.DEFAULT);
    assertThat(r.settings()).isEqualTo(SourceSettings.of(DEFAULT));
  }

  @Test
  void shouldReadAPlainPathFromTheVariable() {
    ResolvedSource r = ReleaseSources.resolve(Map.of(VAR, "/srv/updates/myapp"), VAR, home,
        DEFAULT);

    assertThat(r.settings().source()).isEqualTo(Path.of("/srv/updates/myapp").toUri());
  }

  @Test
  void shouldRefuseAVariableThatIsNotALocationNamingIt() {
    assertThatThrownBy(() -> ReleaseSources.resolve(Map.of(VAR, "bad\0path"), VAR, home, DEFAULT))
        .isInstanceOf(InvalidSourceException.class)
        .hasMessageContaining(VAR);
  }

  @Test
  void shouldRoundTripTheSettingsWithAbsoluteKeyPathsAndBraces() {
    URI github = ReleaseSources.location("github:acme/myapp?asset=myapp-{version}.tar.gz");
    SourceSettings written = SourceSettings.of(github)
        .withTrustedKeys(List.of(Path.of("keys/updater.pub"), Path.of("/etc/new.pub")));
    written.write(home);

    Optional<SourceSettings> read = SourceSettings.read(home);

    assertThat(read).contains(written);
    assertThat(read.get().trustedKeys()).allMatch(Path::isAbsolute);
    assertThat(read.get().channel()).isEmpty();
    assertThat(read.get().source().getSchemeSpecificPart()).endsWith("{version}.tar.gz");
  }

  @Test
  void shouldReplaceTheFileAtomicallyLeavingNoTemporaryFile() throws IOException {
    store();
    SourceSettings.of(DEFAULT).write(home);

    assertThat(SourceSettings.read(home)).contains(SourceSettings.of(DEFAULT));
    try (Stream<Path> files = Files.list(home.resolve(".updater"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("source.json");
    }
  }

  @Test
  void shouldReadNothingFromAHomeWithoutSettings() {
    assertThat(SourceSettings.read(home)).isEmpty();
  }

  @Test
  void shouldRefuseAMalformedSettingsFileNamingIt() throws IOException {
    Files.createDirectories(home.resolve(".updater"));
    Files.writeString(SourceSettings.file(home), "{\"format\":1,\"source\":\"x\",\"source\":\"y\"}",
        UTF_8);

    assertThatThrownBy(() -> SourceSettings.read(home))
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(UpdateException.Reason.IO_ERROR))
        .hasMessageContaining("source.json")
        .hasMessageContaining("delete it");
    assertThatThrownBy(() -> ReleaseSources.resolve(Map.of(), VAR, home, DEFAULT))
        .isInstanceOf(UpdateException.class);
  }

  @Test
  void shouldRefuseAnotherFormat() throws IOException {
    Files.createDirectories(home.resolve(".updater"));
    Files.writeString(SourceSettings.file(home), "{\"format\":2,\"source\":\"/srv\"}", UTF_8);

    assertThatThrownBy(() -> SourceSettings.read(home)).hasMessageContaining("format");
  }
}
