package dev.updater.core.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ArchiveStager} on {@code .zip} archives, on the real disk. */
class ArchiveStagerZipTest {
  @TempDir Path tmp;
  StagingFixture fx;
  final ArchiveStager stager = ArchiveStager.defaults();

  @BeforeEach
  void setUp() throws IOException {
    fx = new StagingFixture(tmp);
  }

  private Path zip(RawArchives.Zip zip) throws IOException {
    return zip.writeTo(fx.in.resolve("app-1.0.0.zip"));
  }

  private String rejected(RawArchives.Zip zip) throws IOException {
    return fx.rejected(stager, zip(zip));
  }

  @Test
  void shouldExtractFilesDirectoriesLinksAndKeepTheExecutableBit() throws IOException {
    fx.stage(stager, zip(RawArchives.zip()
        .dir("bin/")
        .file("bin/app", "#!/bin/sh\n", 0755)
        .file("lib/deep/app.jar", "jar")
        .fileWithoutMode("README.txt", "read me")
        .symlink("bin/lib", "../lib/deep")));

    Path t = fx.target;
    assertThat(t.resolve("bin/app")).hasContent("#!/bin/sh\n");
    assertThat(mode("bin/app")).isEqualTo("rwxr-xr-x");
    assertThat(mode("README.txt")).isEqualTo("rw-r--r--");
    assertThat(t.resolve("lib/deep/app.jar")).hasContent("jar");
    assertThat(Files.readSymbolicLink(t.resolve("bin/lib"))).isEqualTo(Path.of("../lib/deep"));
    assertThat(t.resolve("bin/lib/app.jar")).hasContent("jar");
    fx.assertNothingOutsideTarget();
  }

  @Test
  void plainReleaseWrittenByTestArchivesIsStagedAsIs() throws IOException {
    fx.stage(stager, RawArchives.zip(fx.in.resolve("app.zip"), Map.of("VERSION", "2.0.0")));

    assertThat(fx.target.resolve("VERSION")).hasContent("2.0.0");
  }

  @Test
  void shouldRecogniseAZipByItsMagicBytesWhenTheNameSaysNothing() throws IOException {
    fx.stage(stager, RawArchives.zip().file("x", "y").writeTo(fx.in.resolve("artifact")));

    assertThat(fx.target.resolve("x")).hasContent("y");
  }

  @Test
  void shouldNormaliseSetuidAndWritableModes() throws IOException {
    fx.stage(stager, zip(RawArchives.zip().file("suid", "x", 04777).file("world", "x", 0666)));

    assertThat(mode("suid")).isEqualTo("rwxr-xr-x");
    assertThat(mode("world")).isEqualTo("rw-r--r--");
  }

  @Test
  void shouldRejectADotDotEntry() throws IOException {
    assertThat(rejected(RawArchives.zip().file("a/../../evil", "x"))).contains("'..' segment");
  }

  @Test
  void shouldRejectAnAbsolutePath() throws IOException {
    Path evil = fx.outside.resolve("evil");
    assertThat(rejected(RawArchives.zip().file(evil.toString(), "x"))).contains("absolute");
  }

  @Test
  void shouldRejectABackslashPath() throws IOException {
    // with a '/' in the name commons-compress keeps the backslash as it is (a name without one,
    // from a FAT-platform zip, has its backslashes turned into '/' and meets the other rules)
    assertThat(rejected(RawArchives.zip().file("bin/..\\..\\evil", "x"))).contains("backslash");
  }

  @Test
  void shouldRejectANameWithANulCharacter() throws IOException {
    assertThat(rejected(RawArchives.zip().file("ok.txt\0../../evil", "x"))).contains("NUL");
  }

  @Test
  void shouldRejectALinkToRootAndTheFileWrittenThroughIt() throws IOException {
    assertThat(rejected(RawArchives.zip().symlink("l", "/").file("l/etc/passwd", "x")))
        .contains("absolute");
  }

  @Test
  void shouldRejectALinkThatClimbsOut() throws IOException {
    assertThat(rejected(RawArchives.zip().symlink("l", "../../..").file("l/x", "x")))
        .contains("leaves the release directory");
  }

  @Test
  void shouldRejectACharacterDeviceMode() throws IOException {
    assertThat(rejected(RawArchives.zip().entry("null", 0020666, new byte[0])))
        .contains("character device");
  }

  @Test
  void shouldRejectAFifoMode() throws IOException {
    assertThat(rejected(RawArchives.zip().entry("pipe", 0010644, new byte[0]))).contains("FIFO");
  }

  @Test
  void shouldRejectTheSameNameTwice() throws IOException {
    assertThat(rejected(RawArchives.zip().file("bin/app", "good").file("bin/app", "evil")))
        .contains("appears twice");
    assertThat(fx.target.resolve("bin/app")).hasContent("good");
  }

  @Test
  void shouldRejectNamesThatDifferOnlyInCase() throws IOException {
    assertThat(rejected(RawArchives.zip().file("README", "1").file("readme", "2")))
        .contains("differ only in case");
  }

  @Test
  void shouldStopWritingAsSoonAsTheByteCapIsCrossed() throws IOException {
    ArchiveStager small = ArchiveStager.builder().maxTotalBytes(100_000).build();
    Path archive = zip(RawArchives.zip().entry("zeros", 0100644, new byte[4 << 20]));

    assertThat(fx.rejected(small, archive)).contains("maxTotalBytes");
    assertThat(fx.target.resolve("zeros")).as("refused by its declared size, before it was created")
        .doesNotExist();
  }

  @Test
  void shouldRejectAnEntryWithABadCrc() throws IOException {
    Path archive = zip(RawArchives.zip().stored().file("data.txt", "precious content"));
    patch(archive, "precious content", "PRECIOUS content");

    fx.assertCorrupt(stager, archive);
  }

  @Test
  void shouldRejectALocalHeaderNameThatDiffersFromTheCentralDirectory() throws IOException {
    Path archive = zip(RawArchives.zip().stored().file("good.txt", "x"));
    patch(archive, "good.txt", "../a.txt"); // the first occurrence is the local header

    assertThat(fx.rejected(stager, archive)).contains("'good.txt'", "local file header");
  }

  @Test
  void shouldRejectGarbageWithAZipName() throws IOException {
    Path archive = Files.write(fx.in.resolve("app.zip"),
        "PK but not really a zip file at all".getBytes(StandardCharsets.US_ASCII));

    fx.assertCorrupt(stager, archive);
  }

  @Test
  void shouldRejectATruncatedZip() throws IOException {
    Path archive = zip(RawArchives.zip().file("a", "content ".repeat(1000)).file("b", "x"));
    byte[] bytes = Files.readAllBytes(archive);
    Files.write(archive, Arrays.copyOf(bytes, bytes.length - 40));

    fx.assertCorrupt(stager, archive);
  }

  private String mode(String name) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(fx.target.resolve(name),
        LinkOption.NOFOLLOW_LINKS));
  }

  /** Replaces the first occurrence of {@code from} in the file by {@code to} (same length). */
  private static void patch(Path file, String from, String to) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + needle.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, bytes, i, needle.length);
        Files.write(file, bytes);
        return;
      }
    }
    throw new AssertionError("'" + from + "' not found in " + file);
  }
}
