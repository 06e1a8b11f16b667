package dev.updater.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.updater.core.internal.io.FileTrees;
import dev.updater.testkit.RawArchives;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ArchiveStager} on {@code .tar.gz} archives, on the real disk, hostile ones included. */
class ArchiveStagerTest {
  @TempDir Path tmp;
  StagingFixture fx;
  final ArchiveStager stager = ArchiveStager.defaults();

  @BeforeEach
  void setUp() throws IOException {
    fx = new StagingFixture(tmp);
  }

  private Path tgz(RawArchives.Tar tar) throws IOException {
    return tar.writeTarGz(fx.in.resolve("app-1.0.0.tar.gz"));
  }

  private String rejected(RawArchives.Tar tar) throws IOException {
    return fx.rejected(stager, tgz(tar));
  }

  // --- happy path ---------------------------------------------------------------------------

  @Test
  void shouldExtractFilesDirectoriesLinksAndKeepTheExecutableBit() throws IOException {
    fx.stage(stager, tgz(RawArchives.tar()
        .dir("./")
        .dir("./bin/")
        .file("./bin/app", "#!/bin/sh\necho hi\n", 0755)
        .file("./lib/deep/nested/app.jar", "jar bytes")
        .symlink("./bin/lib", "../lib/deep")
        .hardlink("./lib/copy.jar", "lib/deep/nested/app.jar")));

    Path t = fx.target;
    assertThat(t.resolve("bin/app")).hasContent("#!/bin/sh\necho hi\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t.resolve("bin/app"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(t.resolve("lib/deep/nested/app.jar")).hasContent("jar bytes");
    assertThat(Files.readSymbolicLink(t.resolve("bin/lib"))).isEqualTo(Path.of("../lib/deep"));
    assertThat(t.resolve("bin/lib/nested/app.jar")).hasContent("jar bytes");
    assertThat(t.resolve("lib/copy.jar")).hasContent("jar bytes");
    fx.assertNothingOutsideTarget();
  }

  @Test
  void shouldWriteAHardLinkEntryAsAnIndependentCopy() throws IOException {
    fx.stage(stager, tgz(RawArchives.tar().file("a", "content").hardlink("b", "a")));

    assertThat(Files.isSameFile(fx.target.resolve("a"), fx.target.resolve("b"))).isFalse();
    assertThat(Files.getAttribute(fx.target.resolve("b"), "unix:nlink")).isEqualTo(1);
    assertThat(fx.target.resolve("b")).hasContent("content");
  }

  @Test
  void plainReleaseWrittenByTestArchivesIsStagedAsIs() throws IOException {
    Path archive = RawArchives.tarGz(fx.in.resolve("app.tgz"),
        Map.of("VERSION", "1.0.0", "conf/app.properties", "port=8080"));

    fx.stage(stager, archive);

    assertThat(fx.target.resolve("VERSION")).hasContent("1.0.0");
    assertThat(fx.target.resolve("conf/app.properties")).hasContent("port=8080");
  }

  @Test
  void shouldRecogniseATarGzByItsMagicBytesWhenTheNameSaysNothing() throws IOException {
    Path archive = RawArchives.tar().file("x", "y").writeTarGz(fx.in.resolve("artifact.bin"));

    fx.stage(stager, archive);

    assertThat(fx.target.resolve("x")).hasContent("y");
  }

  @Test
  void shouldTolerateTheSameDirectoryEntryTwice() throws IOException {
    fx.stage(stager, tgz(RawArchives.tar().dir("lib/").file("lib/a", "1").dir("lib/")));

    assertThat(fx.target.resolve("lib/a")).hasContent("1");
  }

  // --- 25: traversal -------------------------------------------------------------------------

  @Test
  void shouldRejectADotDotEntry() throws IOException {
    assertThat(rejected(RawArchives.tar().file("../evil", "x")))
        .contains("'../evil'", "'..' segment", "republish");
  }

  @Test
  void shouldRejectADotDotHiddenInsideThePath() throws IOException {
    assertThat(rejected(RawArchives.tar().file("a/ok", "1").file("a/../../evil", "x")))
        .contains("a/../../evil", "'..'");
  }

  @Test
  void shouldRejectASiblingPrefixTraversal() throws IOException {
    String sibling = "../" + fx.target.getFileName() + "x/evil";

    assertThat(rejected(RawArchives.tar().file(sibling, "x"))).contains(sibling);
    assertThat(tmp.resolve(fx.target.getFileName() + "x")).doesNotExist();
  }

  // --- 26: absolute, drive, UNC, backslash, NUL -----------------------------------------------

  @Test
  void shouldRejectAnAbsolutePath() throws IOException {
    Path evil = fx.outside.resolve("evil");
    assertThat(rejected(RawArchives.tar().file(evil.toString(), "x"))).contains("absolute path");
    assertThat(evil).doesNotExist();
  }

  @Test
  void shouldRejectWindowsDrivePaths() throws IOException {
    assertThat(rejected(RawArchives.tar().file("C:\\evil", "x"))).contains("C:\\evil");
    freshTarget();
    assertThat(rejected(RawArchives.tar().file("C:evil", "x"))).contains("drive letter");
  }

  @Test
  void shouldRejectUncAndBackslashPaths() throws IOException {
    assertThat(rejected(RawArchives.tar().file("\\\\host\\share\\evil", "x")))
        .contains("backslash");
    freshTarget();
    assertThat(rejected(RawArchives.tar().file("\\evil", "x"))).contains("backslash");
    freshTarget();
    assertThat(rejected(RawArchives.tar().file("bin\\app", "x"))).contains("backslash");
  }

  @Test
  void shouldRejectANameWithANulCharacter() throws IOException {
    // a NUL can only reach a tar name through a PAX 'path' record
    assertThat(rejected(RawArchives.tar()
        .paxHeader(Map.of("path", "ok\0/../../evil"))
        .file("placeholder", "x")))
        .contains("NUL");
  }

  // --- 27: symbolic links --------------------------------------------------------------------

  @Test
  void shouldRejectALinkToRootAndTheFileWrittenThroughIt() throws IOException {
    assertThat(rejected(RawArchives.tar().symlink("l", "/").file("l/etc/passwd", "x")))
        .contains("'l'", "absolute");
  }

  @Test
  void shouldRejectALinkToTheSentinelAndNeverWriteThroughIt() throws IOException {
    rejected(RawArchives.tar().symlink("l", fx.outside.toString()).file("l/evil", "x"));
  }

  @Test
  void shouldRejectALinkThatClimbsOutOfTheRelease() throws IOException {
    assertThat(rejected(RawArchives.tar().symlink("l", "../../..").file("l/x", "x")))
        .contains("leaves the release directory");
  }

  @Test
  void shouldRejectALoneLinkToAnAbsoluteTarget() throws IOException {
    assertThat(rejected(RawArchives.tar().file("app", "x").symlink("conf", "/etc/shadow")))
        .contains("'conf'", "/etc/shadow");
  }

  @Test
  void shouldRejectADanglingLink() throws IOException {
    assertThat(rejected(RawArchives.tar().symlink("conf", "missing.properties")))
        .contains("dangling");
  }

  @Test
  void shouldRejectAChainOfLinksThatResolvesOutside() throws IOException {
    // d/up -> .. is the release root; d/esc -> up/.. is lexically "d" but really its parent
    assertThat(rejected(RawArchives.tar()
        .dir("d/")
        .symlink("d/up", "..")
        .symlink("d/esc", "up/..")))
        .contains("d/esc", "outside the release");
  }

  @Test
  void shouldRejectALinkLoop() throws IOException {
    assertThat(rejected(RawArchives.tar().symlink("a", "b").symlink("b", "a")))
        .contains("cannot be resolved");
  }

  @Test
  void shouldRejectAnEntryThroughAnInternalLink() throws IOException {
    assertThat(rejected(RawArchives.tar().dir("real/").symlink("l", "real").file("l/x", "x")))
        .contains("'l/x'", "through the symbolic link 'l'");
    assertThat(fx.target.resolve("real/x")).doesNotExist();
  }

  // --- 28: hard links ------------------------------------------------------------------------

  @Test
  void shouldRejectAHardLinkToAnAbsolutePath() throws IOException {
    assertThat(rejected(RawArchives.tar().hardlink("h", "/etc/hostname")))
        .contains("hard link", "/etc/hostname", "absolute");
  }

  @Test
  void shouldRejectAHardLinkThatClimbsOut() throws IOException {
    assertThat(rejected(RawArchives.tar().hardlink("h", "../../x"))).contains("'..'");
  }

  @Test
  void shouldRejectAHardLinkToAnEarlierSymlink() throws IOException {
    assertThat(rejected(RawArchives.tar().file("f", "x").symlink("s", "f").hardlink("h", "s")))
        .contains("is a symbolic link");
  }

  @Test
  void shouldRejectAHardLinkToAMissingOrLaterEntry() throws IOException {
    assertThat(rejected(RawArchives.tar().hardlink("h", "f").file("f", "x")))
        .contains("does not name a regular file earlier in the archive");
  }

  // --- 29: pre-existing content in the target -------------------------------------------------

  @Test
  void shouldRefuseATargetHoldingAPlantedLink() throws IOException {
    Files.createSymbolicLink(fx.target.resolve("lib"), fx.outside);

    String message = fx.rejected(stager, tgz(RawArchives.tar().file("lib/x.jar", "x")));

    assertThat(message).contains("not empty");
    assertThat(fx.outside.resolve("x.jar")).doesNotExist();
  }

  @Test
  void shouldRefuseATargetThatIsItselfALink() throws IOException {
    Path archive = tgz(RawArchives.tar().file("x.jar", "x"));
    Files.delete(fx.target);
    Files.createSymbolicLink(fx.target, fx.outside);

    String message = fx.rejected(stager, archive);

    assertThat(message).contains("symbolic link");
  }

  @Test
  void shouldRefuseAMissingTarget() throws IOException {
    Path archive = tgz(RawArchives.tar().file("x", "x"));
    Files.delete(fx.target);

    assertThat(fx.rejected(stager, archive)).contains("does not exist");
  }

  // --- 30: special files and modes -----------------------------------------------------------

  @Test
  void shouldRejectACharacterDevice() throws IOException {
    assertThat(rejected(RawArchives.tar().charDevice("dev/null"))).contains("character device");
  }

  @Test
  void shouldRejectABlockDevice() throws IOException {
    assertThat(rejected(RawArchives.tar().blockDevice("sda"))).contains("block device");
  }

  @Test
  void shouldRejectAFifo() throws IOException {
    assertThat(rejected(RawArchives.tar().fifo("pipe"))).contains("FIFO");
  }

  @Test
  void shouldRejectAnUnknownEntryType() throws IOException {
    assertThat(rejected(RawArchives.tar().rawType("vol", (byte) 'V'))).contains("unsupported");
  }

  @Test
  void shouldNormaliseSetuidSetgidStickyAndWritableModes() throws IOException {
    fx.stage(stager, tgz(RawArchives.tar()
        .file("suid", "x", 04755)
        .file("sgid", "x", 02755)
        .file("world", "x", 0666)
        .file("readonly", "x", 0400)
        .dir("sticky/", 01777)
        .dir("locked/", 0500)));

    assertThat(mode("suid")).isEqualTo("rwxr-xr-x");
    assertThat(mode("sgid")).isEqualTo("rwxr-xr-x");
    assertThat(mode("world")).isEqualTo("rw-r--r--");
    assertThat(mode("readonly")).isEqualTo("rw-------");
    assertThat(mode("sticky")).isEqualTo("rwxr-xr-x");
    assertThat(mode("locked")).isEqualTo("rwx------");
  }

  @Test
  void shouldNeverChangeTheOwnerOrApplyExtendedAttributes() throws IOException {
    fx.stage(stager, tgz(RawArchives.tar()
        .paxHeader(Map.of("SCHILY.xattr.security.capability", "0sAQAAAgAgAAAAAAAAAAAAAAAAAAA=",
            "SCHILY.xattr.user.evil", "1"))
        .fileOwnedBy("bin/app", "x", 4242, 4242)));

    Path app = fx.target.resolve("bin/app");
    assertThat(Files.getOwner(app, LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(Files.getOwner(fx.target));
    assertThat(Files.getAttribute(app, "unix:uid")).isNotEqualTo(4242);
    assertThat(app).hasContent("x");
  }

  // --- 31: duplicates and collisions ---------------------------------------------------------

  @Test
  void shouldRejectTheSameFileTwiceInsteadOfOverwriting() throws IOException {
    assertThat(rejected(RawArchives.tar().file("bin/app", "good").file("bin/app", "evil")))
        .contains("'bin/app'", "appears twice");
    assertThat(fx.target.resolve("bin/app")).hasContent("good");
  }

  @Test
  void shouldRejectAFileAndADirectoryOfTheSameName() throws IOException {
    assertThat(rejected(RawArchives.tar().file("lib", "x").file("lib/a", "y")))
        .contains("'lib'", "file");
  }

  @Test
  void shouldRejectNamesThatDifferOnlyInCase() throws IOException {
    assertThat(rejected(RawArchives.tar().file("Lib/a", "1").file("lib/a", "2")))
        .contains("differ only in case");
  }

  @Test
  void shouldRejectNamesThatDifferOnlyInUnicodeNormalisation() throws IOException {
    String nfc = "caf\u00e9.txt";
    String nfd = "cafe\u0301.txt";

    assertThat(rejected(RawArchives.tar().file(nfc, "1").file(nfd, "2")))
        .contains("Unicode normalisation");
  }

  // --- 32: bombs -----------------------------------------------------------------------------

  @Test
  void shouldStopWritingAsSoonAsTheByteCapIsCrossed() throws IOException {
    ArchiveStager small = ArchiveStager.builder().maxTotalBytes(1 << 20).build();
    Path archive = tgz(RawArchives.tar().file("zeros", new byte[8 << 20], 0644));
    assertThat(Files.size(archive)).isLessThan(64 * 1024);

    assertThat(fx.rejected(small, archive)).contains("more than 1048576 bytes", "'zeros'");
    assertThat(fx.target.resolve("zeros")).as("refused by its declared size, before it was created")
        .doesNotExist();
  }

  @Test
  void shouldCountHardLinkCopiesAgainstTheByteCap() throws IOException {
    ArchiveStager small = ArchiveStager.builder().maxTotalBytes(3000).build();
    RawArchives.Tar tar = RawArchives.tar().file("big", new byte[1000], 0644);
    for (int i = 0; i < 5; i++) {
      tar.hardlink("copy" + i, "big");
    }

    assertThat(fx.rejected(small, tgz(tar))).contains("maxTotalBytes");
  }

  @Test
  void shouldRejectMoreEntriesThanTheCap() throws IOException {
    ArchiveStager small = ArchiveStager.builder().maxEntries(10).build();
    RawArchives.Tar tar = RawArchives.tar();
    for (int i = 0; i < 11; i++) {
      tar.file("f" + i, "");
    }

    assertThat(fx.rejected(small, tgz(tar))).contains("more than 10 entries", "'f10'");
  }

  @Test
  void shouldRejectAThousandLevelsOfDirectories() throws IOException {
    ArchiveStager roomy = ArchiveStager.builder().maxPathLength(10_000).build();
    String deep = String.join("/", Collections.nCopies(1000, "d")) + "/";

    assertThat(fx.rejected(roomy, tgz(RawArchives.tar().dir(deep))))
        .contains("deeper than the limit of 64");
  }

  @Test
  void shouldRejectANameLongerThanTheCap() throws IOException {
    assertThat(rejected(RawArchives.tar().file("x".repeat(1025), "x")))
        .contains("longer than the limit of 1024");
  }

  @Test
  void shouldFinishQuicklyOnAPaxHeaderWithAHugeMtime() throws IOException {
    Path archive = tgz(RawArchives.tar()
        .paxHeader(Map.of("mtime", "9".repeat(300_000)))
        .file("a", "x"));
    Path archive2 = RawArchives.tar()
        .paxHeader(Map.of("mtime", "9e9999999"))
        .file("a", "x")
        .writeTarGz(fx.in.resolve("second.tar.gz"));

    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      fx.assertCorrupt(stager, archive);
      freshTarget();
      fx.assertCorrupt(stager, archive2);
    });
  }

  @Test
  void shouldBoundTheDataAfterTheTarEndMarker() throws IOException {
    ArchiveStager small = ArchiveStager.builder().maxTotalBytes(1 << 20).build();
    byte[] tar = RawArchives.tar().file("a", "x").tarBytes();
    Path archive = RawArchives.gzip(Arrays.copyOf(tar, tar.length + (8 << 20)),
        fx.in.resolve("trailing.tar.gz"));

    assertThat(fx.rejected(small, archive)).contains("after the tar end marker");
  }

  @Test
  void shouldReadATarSplitOverSeveralGzipMembers() throws IOException {
    byte[] tar = RawArchives.tar().file("a", "first").file("b", "second").tarBytes();
    Path one = RawArchives.gzip(Arrays.copyOf(tar, 700), fx.in.resolve("one.gz"));
    Path two = RawArchives.gzip(Arrays.copyOfRange(tar, 700, tar.length), fx.in.resolve("two.gz"));
    Path archive = fx.in.resolve("multi.tar.gz");
    Files.write(archive, Files.readAllBytes(one));
    Files.write(archive, Files.readAllBytes(two), StandardOpenOption.APPEND);

    fx.stage(stager, archive);

    assertThat(fx.target.resolve("b")).hasContent("second");
  }

  // --- corrupt and unknown -------------------------------------------------------------------

  @Test
  void shouldRejectATruncatedGzip() throws IOException {
    Path archive = tgz(RawArchives.tar().file("a", "some content ".repeat(5000)));
    byte[] bytes = Files.readAllBytes(archive);
    Files.write(archive, Arrays.copyOf(bytes, bytes.length / 2));

    fx.assertCorrupt(stager, archive);
  }

  @Test
  void shouldRejectATruncatedTar() throws IOException {
    byte[] tar = RawArchives.tar().file("a", new byte[10_000], 0644).tarBytes();
    Path archive = RawArchives.gzip(Arrays.copyOf(tar, 512 + 4000), fx.in.resolve("t.tar.gz"));

    fx.assertCorrupt(stager, archive);
  }

  @Test
  void shouldRejectGarbageWithATarGzName() throws IOException {
    Path archive = Files.write(fx.in.resolve("app.tar.gz"),
        "this is not an archive".getBytes(StandardCharsets.UTF_8));

    fx.assertCorrupt(stager, archive);
  }

  @Test
  void shouldRejectGzippedGarbage() throws IOException {
    byte[] garbage = new byte[4096];
    new Random(42).nextBytes(garbage);
    Path archive = RawArchives.gzip(garbage, fx.in.resolve("app.tgz"));

    fx.assertCorrupt(stager, archive);
  }

  @Test
  void shouldRejectAnUnknownFormatNamingTheSupportedOnes() throws IOException {
    Path archive = Files.write(fx.in.resolve("app-1.0.0.rar"),
        "Rar!\u001a\u0007\u0000 whatever".getBytes(StandardCharsets.ISO_8859_1));

    assertThat(fx.rejected(stager, archive)).contains(".tar.gz", ".zip");
  }

  private String mode(String name) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(fx.target.resolve(name),
        LinkOption.NOFOLLOW_LINKS));
  }

  /** A second rejection in the same test needs a fresh, empty target again. */
  private void freshTarget() throws IOException {
    FileTrees.deleteRecursively(fx.target);
    Files.createDirectory(fx.target);
  }
}
