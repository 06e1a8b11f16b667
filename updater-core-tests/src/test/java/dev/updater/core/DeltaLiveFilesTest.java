package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.source.HttpReleaseSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A delta install never links a file of the live release that changed since that release was
 * installed: each file's size, modification time and inode are kept when its content is checked,
 * and a file that no longer has them is fetched; without kept stamps the files are hashed.
 */
class DeltaLiveFilesTest extends ServedRepositoryTest {
  private static final String BIG = randomText(64 * 1024, 7);
  private static final String OTHER = randomText(32 * 1024, 8);
  /** Makes the archive larger than a changed file, so that updates are installed as deltas. */
  private static final String LARGE = randomText(512 * 1024, 9);

  private Updater updater;

  @BeforeEach
  void installFirst() throws IOException {
    updater = Updater.builder().home(home)
        .source(HttpReleaseSource.builder(server.baseUrl()).trustedKeys(repo.trust()).build())
        .freeSpace(0, 3).checkCacheTtl(Duration.ZERO).build();
    repo.publish("1.0.0", tar -> tar.file("VERSION", "1.0.0\n").dir("lib")
        .file("lib/big.bin", BIG, 0644).file("lib/other.bin", OTHER, 0644)
        .file("lib/large.bin", LARGE, 0644));
    updater.install(updater.check().orElseThrow());
    repo.publish("1.1.0", tar -> tar.file("VERSION", "1.1.0\n").dir("lib")
        .file("lib/big.bin", BIG, 0644).file("lib/other.bin", OTHER, 0644)
        .file("lib/large.bin", LARGE, 0644));
  }

  @Test
  void aLiveFileChangedInPlaceIsFetchedNotLinked() throws IOException {
    Path live = home.resolve("releases/1.0.0/lib/big.bin");
    overwriteFirstByte(live); // same size, same inode, other bytes

    updater.install(updater.check().orElseThrow());

    assertThat(server.requests(repo.objectUrl(BIG))).isEqualTo(1);
    assertThat(Files.readString(home.resolve("releases/1.1.0/lib/big.bin"))).isEqualTo(BIG);
    assertThat(inode(home.resolve("releases/1.1.0/lib/big.bin"))).isNotEqualTo(inode(live));
    assertThat(inode(home.resolve("releases/1.1.0/lib/other.bin")))
        .as("an unchanged file is still linked")
        .isEqualTo(inode(home.resolve("releases/1.0.0/lib/other.bin")));
  }

  @Test
  void aLiveFileReplacedByAnotherWithTheSameTimeIsFetchedNotLinked() throws IOException {
    Path live = home.resolve("releases/1.0.0/lib/big.bin");
    Path copy = live.resolveSibling("big.copy");
    Files.copy(live, copy, StandardCopyOption.COPY_ATTRIBUTES); // same size and time
    overwriteFirstByte(copy);
    Files.setLastModifiedTime(copy, Files.getLastModifiedTime(live));
    Files.move(copy, live, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    updater.install(updater.check().orElseThrow());

    assertThat(server.requests(repo.objectUrl(BIG))).as("another inode").isEqualTo(1);
    assertThat(Files.readString(home.resolve("releases/1.1.0/lib/big.bin"))).isEqualTo(BIG);
  }

  @Test
  void withoutKeptStampsTheLiveFilesAreHashedBeforeTheyAreLinked() throws IOException {
    Path stamps = home.resolve(".updater/manifests/1.0.0.stamps");
    assertThat(stamps).as("kept at the install of 1.0.0").exists();
    Files.delete(stamps); // as a release installed by an earlier version of the library
    Path live = home.resolve("releases/1.0.0/lib/big.bin");
    overwriteFirstByte(live);
    Files.setLastModifiedTime(live, Files.getLastModifiedTime(live.resolveSibling("other.bin")));

    updater.install(updater.check().orElseThrow());

    assertThat(server.requests(repo.objectUrl(BIG))).isEqualTo(1);
    assertThat(server.requests(repo.objectUrl(OTHER))).isZero();
    assertThat(Files.readString(home.resolve("releases/1.1.0/lib/big.bin"))).isEqualTo(BIG);
    assertThat(inode(home.resolve("releases/1.1.0/lib/other.bin")))
        .isEqualTo(inode(home.resolve("releases/1.0.0/lib/other.bin")));
    assertThat(home.resolve(".updater/manifests/1.1.0.stamps")).as("kept for the next").exists();
  }

  @Test
  void stampsCutShortAreIgnoredAndTheFilesHashed() throws IOException {
    Path stamps = home.resolve(".updater/manifests/1.0.0.stamps");
    byte[] bytes = Files.readAllBytes(stamps);
    Files.write(stamps, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // a crash mid-write
    overwriteFirstByte(home.resolve("releases/1.0.0/lib/big.bin"));

    updater.install(updater.check().orElseThrow());

    assertThat(server.requests(repo.objectUrl(BIG))).isEqualTo(1);
    assertThat(Files.readString(home.resolve("releases/1.1.0/lib/big.bin"))).isEqualTo(BIG);
  }

  /** Writes another byte over the first one, in place. */
  private static void overwriteFirstByte(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {'#'}), 0);
    }
  }

  private static long inode(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  private static String randomText(int length, long seed) {
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}
