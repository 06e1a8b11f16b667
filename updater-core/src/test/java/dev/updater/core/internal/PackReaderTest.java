package dev.updater.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.internal.format.ObjectPaths;
import dev.updater.core.internal.format.Packs;
import dev.updater.core.internal.format.ZlibObjects;
import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How an install reads objects out of packs, on a directory repository written by hand: nearby
 * objects in one read, groups planned apart, too few objects not worth an index, packs of
 * releases the live one already has never read, a tampered object refused.
 */
class PackReaderTest {
  @TempDir
  Path repo;

  private final List<String> opened = new CopyOnWriteArrayList<>();
  private ReleaseSource source;
  private final Release release = Release.of(Version.parse("1.2.0"), "stable",
      new Artifact("app.tar.gz", 1, "0".repeat(64), "app.tar.gz"));

  @BeforeEach
  void setUp() {
    ReleaseSource directory = DirectoryReleaseSource.of(repo);
    source = new ReleaseSource() {
      @Override
      public ReleaseIndex index(String channel) throws IOException {
        return directory.index(channel);
      }

      @Override
      public InputStream open(Artifact artifact, long offset) throws IOException {
        opened.add(artifact.location());
        return directory.open(artifact, offset);
      }
    };
  }

  /** An object of {@code size} bytes from {@code seed}. */
  private static byte[] object(int seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(Downloader.sha256().digest(bytes));
  }

  private static byte[] compress(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = ZlibObjects.compressingInto(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }

  /** Writes a pack of {@code objects} (its index stored as an object) and returns its entry. */
  private Packs.PackRef pack(String version, List<byte[]> objects) throws IOException {
    ByteArrayOutputStream pack = new ByteArrayOutputStream();
    List<Packs.Member> members = new ArrayList<>();
    for (byte[] o : objects) {
      byte[] z = compress(o);
      members.add(new Packs.Member(sha(o), z.length));
      pack.write(z);
    }
    byte[] index = Packs.writeIndex(members);
    Path stored = repo.resolve(ObjectPaths.compressed(sha(index)));
    Files.createDirectories(stored.getParent());
    Files.write(stored, compress(index));
    Packs.PackRef ref = new Packs.PackRef(Version.parse(version), sha(index), index.length,
        objects.size(), pack.size());
    Files.createDirectories(repo.resolve("packs"));
    Files.write(repo.resolve(ref.location()), pack.toByteArray());
    return ref;
  }

  private static PackReader.Want want(byte[] o) {
    return new PackReader.Want(sha(o), o.length);
  }

  /** {@code count} objects of {@code size} random bytes, the i-th from seed i. */
  private static List<byte[]> objects(int count, int size) {
    List<byte[]> objects = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      objects.add(object(i, size));
    }
    return objects;
  }

  private long reads(String prefix) {
    return opened.stream().filter(l -> l.startsWith(prefix)).count();
  }

  @Test
  void shouldReadNearbyObjectsWithOneReadAndCheckEach() throws IOException {
    List<byte[]> objects = objects(10, 2000);
    Packs.PackRef ref = pack("1.2.0", objects);
    PackReader reader = new PackReader(source, release, List.of(ref),
        Optional.of(Version.parse("1.1.0")));

    PackReader.Batch batch = reader.batch(objects.stream().map(PackReaderTest::want).toList());

    for (byte[] o : objects) {
      assertThat(batch.take(sha(o))).hasValue(o);
    }
    assertThat(reads("packs/")).isOne();
    assertThat(reads("objects/")).as("the index").isOne();
  }

  @Test
  void shouldPlanGroupsApartSoThatOneGroupsRangesHoldNoneOfTheOther() throws IOException {
    List<byte[]> objects = objects(12, 40_000); // random bytes: each object is a gap for the other group
    Packs.PackRef ref = pack("1.2.0", objects);
    PackReader reader = new PackReader(source, release, List.of(ref), Optional.empty());
    List<PackReader.Want> even = new ArrayList<>();
    List<PackReader.Want> odd = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      (i % 2 == 0 ? even : odd).add(want(objects.get(i)));
    }

    List<PackReader.Batch> batches = reader.batches(List.of(even, odd));

    assertThat(batches.get(0).take(sha(objects.get(0)))).hasValue(objects.get(0));
    assertThat(batches.get(0).take(sha(objects.get(1)))).as("not in this group").isEmpty();
    assertThat(reads("packs/")).isOne();
    assertThat(batches.get(1).take(sha(objects.get(1)))).hasValue(objects.get(1));
    assertThat(reads("packs/")).isEqualTo(2);
  }

  @Test
  void shouldNotReadAnIndexForFewerObjectsThanItIsWorth() throws IOException {
    List<byte[]> objects = List.of(object(1, 100), object(2, 100), object(3, 100));
    Packs.PackRef ref = pack("1.2.0", objects);
    PackReader reader = new PackReader(source, release, List.of(ref), Optional.empty());

    PackReader.Batch batch = reader.batch(objects.stream().map(PackReaderTest::want).toList());

    assertThat(batch.take(sha(objects.get(0)))).isEmpty();
    assertThat(opened).isEmpty();
  }

  @Test
  void shouldNeverReadThePackOfAReleaseTheLiveOneAlreadyHas() throws IOException {
    List<byte[]> objects = objects(6, 500);
    Packs.PackRef older = pack("1.1.0", objects);
    PackReader reader = new PackReader(source, release, List.of(older),
        Optional.of(Version.parse("1.1.0")));

    PackReader.Batch batch = reader.batch(objects.stream().map(PackReaderTest::want).toList());

    assertThat(batch.take(sha(objects.get(0)))).isEmpty();
    assertThat(opened).isEmpty();
  }

  /** A source that, like a server ignoring {@code Range}, sends every part as the whole file. */
  private ReleaseSource wholeOnly() {
    ReleaseSource directory = DirectoryReleaseSource.of(repo);
    return new ReleaseSource() {
      @Override
      public ReleaseIndex index(String channel) throws IOException {
        return directory.index(channel);
      }

      @Override
      public InputStream open(Artifact artifact, long offset) throws IOException {
        opened.add(artifact.location());
        return directory.open(artifact, offset);
      }

      @Override
      public Opened openPart(Artifact artifact, long offset, long length) throws IOException {
        return new Opened(open(artifact, 0), 0, Optional.empty());
      }
    };
  }

  @Test
  void shouldReadEveryRangeOutOfOneWholeFileWhenTheSourceIgnoresRanges() throws IOException {
    List<byte[]> objects = objects(9, 30_000);
    Packs.PackRef ref = pack("1.2.0", objects);
    PackReader reader = new PackReader(wholeOnly(), release, List.of(ref), Optional.empty());
    List<PackReader.Want> everyOther = new ArrayList<>();
    for (int i = 1; i < objects.size(); i += 2) {
      everyOther.add(want(objects.get(i))); // 30 KB gaps: one range each, none at byte 0
    }

    PackReader.Batch batch = reader.batch(everyOther);

    for (int i = 1; i < objects.size(); i += 2) {
      assertThat(batch.take(sha(objects.get(i)))).hasValue(objects.get(i));
    }
    assertThat(reads("packs/")).as("the whole pack, once").isOne();
  }

  @Test
  void shouldFetchObjectsTooFarIntoAWholeFileOnTheirOwn() throws IOException {
    List<byte[]> objects = new ArrayList<>();
    objects.add(object(0, 30_000));
    objects.add(object(1, 1000));
    objects.add(object(2, 2_000_000)); // random: compresses to more than the 1 MiB skipped
    for (int i = 3; i < 6; i++) {
      objects.add(object(i, 1000));
    }
    Packs.PackRef ref = pack("1.2.0", objects);
    PackReader reader = new PackReader(wholeOnly(), release, List.of(ref), Optional.empty());
    List<PackReader.Want> wants = List.of(want(objects.get(1)), want(objects.get(3)),
        want(objects.get(4)), want(objects.get(5)));

    PackReader.Batch batch = reader.batch(wants);

    assertThat(batch.take(sha(objects.get(1)))).hasValue(objects.get(1));
    assertThat(batch.take(sha(objects.get(3)))).as("beyond the skip: on its own").isEmpty();
    assertThat(reads("packs/")).isOne();
  }

  @Test
  void shouldRefuseATamperedObjectAndHandBackTheOthers() throws IOException {
    List<byte[]> objects = objects(6, 3000);
    Packs.PackRef ref = pack("1.2.0", objects);
    Path file = repo.resolve(ref.location());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 100] ^= 0x40; // inside the last object
    Files.write(file, bytes);
    PackReader reader = new PackReader(source, release, List.of(ref), Optional.empty());

    PackReader.Batch batch = reader.batch(objects.stream().map(PackReaderTest::want).toList());

    assertThat(batch.take(sha(objects.get(5)))).isEmpty();
    assertThat(batch.take(sha(objects.get(0)))).hasValue(objects.get(0));
  }
}
