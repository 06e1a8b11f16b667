package dev.updater.core;

import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.source.HttpReleaseSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.UpdateException.Reason;
import dev.updater.testkit.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Delta installs over a real HTTP server on 127.0.0.1 that counts requests: only the files whose
 * content the live release lacks are fetched, unchanged ones are hard-linked, a missing or corrupt
 * object falls back to the archive, and the tree equals a full install's.
 */
class DeltaInstallTest extends ServedRepositoryTest {
  private static final String BIG = randomText(64 * 1024);


  /** 1.0.0: an executable, a large file, a link to it, a config file, a script. */
  private Release publishFirst() throws IOException {
    return repo.publish("1.0.0", tar -> tar
        .file("VERSION", "1.0.0\n")
        .dir("bin")
        .file("bin/app", "#!/bin/sh\necho app\n", 0755)
        .dir("lib")
        .file("lib/big.bin", BIG, 0644)
        .symlink("lib/current", "big.bin")
        .dir("conf")
        .file("conf/app.conf", "x=1\n", 0644)
        .file("run.sh", "echo run\n", 0644));
  }

  /**
   * 1.1.0: VERSION and conf/app.conf change, the old config moves to lib/moved.conf, run.sh
   * becomes executable with the same bytes, and two new files share one content.
   */
  private Release publishSecond() throws IOException {
    return repo.publish("1.1.0", tar -> tar
        .file("VERSION", "1.1.0\n")
        .dir("bin")
        .file("bin/app", "#!/bin/sh\necho app\n", 0755)
        .dir("lib")
        .file("lib/big.bin", BIG, 0644)
        .symlink("lib/current", "big.bin")
        .file("lib/moved.conf", "x=1\n", 0644)
        .dir("conf")
        .file("conf/app.conf", "x=2\n", 0644)
        .file("run.sh", "echo run\n", 0755)
        .dir("docs")
        .file("docs/a.txt", "twice\n", 0644)
        .file("docs/b.txt", "twice\n", 0644));
  }

  private Updater updater(Path home) {
    return Updater.builder().home(home).source(http()).freeSpace(0, 3).checkCacheTtl(Duration.ZERO).build();
  }

  private HttpReleaseSource http() {
    return HttpReleaseSource.builder(server.baseUrl()).trustedKeys(repo.trust()).build();
  }

  private int objectRequests() throws IOException {
    return repo.objectUrls().stream().mapToInt(server::requests).sum();
  }

  @Test
  void shouldDownloadOnlyTheChangedFiles() throws IOException {
    publishFirst();
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    assertThat(objectRequests()).as("a first install has nothing to compare with").isZero();
    Release second = publishSecond();

    updater.install(updater.check().orElseThrow());

    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isZero();
    assertThat(server.requests(repo.objectUrl("1.1.0\n"))).isEqualTo(1);
    assertThat(server.requests(repo.objectUrl("x=2\n"))).isEqualTo(1);
    assertThat(server.requests(repo.objectUrl("twice\n"))).isEqualTo(1);
    assertThat(objectRequests()).isEqualTo(3);
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(home.resolve("current/lib/moved.conf")).hasContent("x=1");
    assertThat(home.resolve("current/docs/b.txt")).hasContent("twice");
  }

  @Test
  void shouldHardLinkUnchangedFilesFromTheLiveRelease() throws IOException {
    publishFirst();
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    publishSecond();

    updater.install(updater.check().orElseThrow());

    Path v1 = home.resolve("releases/1.0.0");
    Path v2 = home.resolve("releases/1.1.0");
    assertThat(inode(v2.resolve("lib/big.bin"))).isEqualTo(inode(v1.resolve("lib/big.bin")));
    assertThat(inode(v2.resolve("bin/app"))).isEqualTo(inode(v1.resolve("bin/app")));
    assertThat(inode(v2.resolve("lib/moved.conf")))
        .as("same content under a new path is linked too")
        .isEqualTo(inode(v1.resolve("conf/app.conf")));
    assertThat(inode(v2.resolve("run.sh")))
        .as("a file whose mode changed is copied: re-moding a link would change the live file")
        .isNotEqualTo(inode(v1.resolve("run.sh")));
    assertThat(mode(v1.resolve("run.sh"))).isEqualTo("rw-r--r--");
    assertThat(mode(v2.resolve("run.sh"))).isEqualTo("rwxr-xr-x");
    assertThat(inode(v2.resolve("conf/app.conf"))).isNotEqualTo(inode(v1.resolve("conf/app.conf")));
  }

  @Test
  void shouldStageTheSameTreeAsAFullInstall() throws IOException {
    publishFirst();
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    Release second = publishSecond();
    updater.install(second);
    Path fullHome = tmp.resolve("full-home");

    updater(fullHome).install(second);

    assertThat(server.requests(DeltaRepository.archiveUrl(second)))
        .as("only the fresh home downloaded the archive").isEqualTo(1);
    assertThat(snapshot(home.resolve("releases/1.1.0")))
        .isEqualTo(snapshot(fullHome.resolve("releases/1.1.0")))
        .containsKeys("lib/current", "docs/a.txt", "run.sh");
  }

  @Test
  void shouldFallBackToTheArchiveWhenAnObjectIsMissing() throws IOException {
    publishFirst();
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    Release second = publishSecond();
    Files.delete(repo.object("x=2\n"));

    updater.install(updater.check().orElseThrow());

    assertThat(server.requests(repo.objectUrl("x=2\n"))).isEqualTo(1);
    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isEqualTo(1);
    assertThat(home.resolve("current/conf/app.conf")).hasContent("x=2");
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
  }

  @Test
  void shouldRefuseACorruptObjectAndFallBackToTheArchive() throws IOException {
    publishFirst();
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    Release second = publishSecond();
    repo.writeObject("1.1.0\n", "6.6.6\n"); // same length, other bytes

    updater.install(updater.check().orElseThrow());

    assertThat(server.requests(repo.objectUrl("1.1.0\n"))).isEqualTo(1);
    assertThat(server.requests(DeltaRepository.archiveUrl(second))).isEqualTo(1);
    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
  }

  @Test
  void shouldFetchObjectsFromADirectoryRepositoryToo() throws IOException {
    publishFirst();
    Updater updater = Updater.builder().home(home).source(repo.directorySource())
        .freeSpace(0, 3).checkCacheTtl(Duration.ZERO).build();
    updater.install(updater.check().orElseThrow());
    publishSecond();
    Files.delete(repo.root.resolve("releases/1.1.0/app-1.1.0.tar.gz")); // only objects can do

    updater.install(updater.check().orElseThrow());

    assertThat(home.resolve("current/VERSION")).hasContent("1.1.0");
    assertThat(inode(home.resolve("releases/1.1.0/lib/big.bin")))
        .isEqualTo(inode(home.resolve("releases/1.0.0/lib/big.bin")));
  }

  @Test
  void shouldCopyInsteadOfLinkingWhenAStagingHookMayWriteIntoTheTree() throws IOException {
    publishFirst();
    Updater plain = updater(home);
    plain.install(plain.check().orElseThrow());
    publishSecond();
    Updater hooked = Updater.builder().home(home).source(http()).freeSpace(0, 3).checkCacheTtl(Duration.ZERO)
        .after(Step.STAGE, ctx -> Files.writeString(ctx.releaseDir().resolve("lib/big.bin"),
            "rewritten by a hook"))
        .build();

    hooked.install(hooked.check().orElseThrow());

    assertThat(server.requests(repo.objectUrl(BIG))).as("still not downloaded").isZero();
    assertThat(home.resolve("releases/1.1.0/lib/big.bin")).hasContent("rewritten by a hook");
    assertThat(Files.readString(home.resolve("releases/1.0.0/lib/big.bin")))
        .as("the live release's file is untouched").isEqualTo(BIG);
  }

  @Test
  void shouldSeedASharedPathWithCopiesNotLinksToTheLiveRelease() throws IOException {
    repo.publish("1.0.0", tar -> tar.file("VERSION", "1.0.0\n").dir("data")
        .file("data/seed.db", BIG, 0644));
    Updater before = updater(home);
    before.install(before.check().orElseThrow());
    repo.publish("1.1.0", tar -> tar.file("VERSION", "1.1.0\n").dir("data")
        .file("data/seed.db", BIG, 0644));
    Updater sharing = Updater.builder().home(home).source(http()).freeSpace(0, 3).checkCacheTtl(Duration.ZERO)
        .activator(SymlinkActivator.builder(Layout.of(home)).shared("data").build())
        .build();

    sharing.install(sharing.check().orElseThrow());
    Files.writeString(home.resolve("shared/data/seed.db"), "the application wrote this");

    assertThat(Files.readString(home.resolve("releases/1.0.0/data/seed.db"))).isEqualTo(BIG);
    assertThat(home.resolve("current/data/seed.db")).hasContent("the application wrote this");
  }

  @Test
  void shouldRefuseAManifestTamperedWithAfterSigningAndChangeNothing() throws IOException {
    publishFirst();
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    publishSecond();
    Path manifest = repo.manifestFile("1.1.0");
    Files.writeString(manifest, forged(Files.readString(manifest)));
    Map<String, String> before = snapshot(home);

    assertThatThrownBy(() -> updater.install(updater.check().orElseThrow()))
        .isInstanceOfSatisfying(UpdateException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED);
          assertThat(e.getMessage()).contains("manifest.json", "SHA-256 mismatch");
        });
    assertThat(objectRequests()).isZero();
    assertThat(snapshot(home)).isEqualTo(before);
  }

  @Test
  void shouldRefuseAnIndexRepointedAtAnotherManifestBecauseOfItsSignature() throws IOException {
    publishFirst();
    Updater updater = updater(home);
    updater.install(updater.check().orElseThrow());
    Release second = publishSecond();
    byte[] forged = forged(Files.readString(repo.manifestFile("1.1.0")))
        .getBytes(StandardCharsets.UTF_8);
    Artifact forgedRef = repo.writeManifest("1.1.0", forged);
    byte[] signedIndex = Files.readAllBytes(repo.root.resolve("channels/stable.json.minisig"));
    repo.replace(second.withManifest(forgedRef));
    Files.write(repo.root.resolve("channels/stable.json.minisig"), signedIndex); // old signature

    assertThatThrownBy(updater::check)
        .isInstanceOfSatisfying(UpdateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED));
    assertThat(home.resolve("current/VERSION")).hasContent("1.0.0");
  }

  /**
   * The manifest root {@code text} pointing its first page elsewhere (one hex digit changed): as
   * long as the signed one, other bytes.
   */
  static String forged(String text) {
    int at = text.indexOf("\"sha256\":\"") + "\"sha256\":\"".length();
    assertThat(at).as("a paged root").isGreaterThan(20);
    char digit = text.charAt(at);
    return text.substring(0, at) + (digit == '0' ? '1' : '0') + text.substring(at + 1);
  }

  private static long inode(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  /** Every path under {@code root}: its type, mode and content or link target. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        if (dir.getFileName().toString().equals(".updater")) {
          return FileVisitResult.SKIP_SUBTREE; // the journal and history record each run
        }
        tree.put(key(dir), "dir " + mode(dir));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        tree.put(key(file), attrs.isSymbolicLink()
            ? "link " + Files.readSymbolicLink(file)
            : "file " + mode(file) + " " + Digests.sha256(Files.readAllBytes(file)));
        return FileVisitResult.CONTINUE;
      }

      private String key(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
      }
    });
    return tree;
  }

  private static String randomText(int length) {
    Random random = new Random(7);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}
