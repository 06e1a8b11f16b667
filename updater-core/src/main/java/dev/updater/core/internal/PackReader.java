package dev.updater.core.internal;

import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.Version;
import dev.updater.core.internal.format.ManifestPages;
import dev.updater.core.internal.format.ObjectStreams;
import dev.updater.core.internal.format.Packs;
import dev.updater.core.internal.format.Packs.Location;
import dev.updater.core.internal.format.Packs.PackRef;
import dev.updater.core.internal.format.ZlibObjects;
import dev.updater.core.spi.ReleaseSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the objects an install lacks out of the packs a release's manifest lists ({@link
 * Packs}), in few requests: it reads the index of the release's own pack, then those of the
 * packs of earlier releases newer than the live one while objects are still unplaced, and
 * gathers the placed objects into ranges of a pack (reading over small gaps between them), each
 * fetched with one {@link ReleaseSource#openPart} the first time one of its objects is taken.
 * Every object is inflated and checked against the size and SHA-256 the manifest lists; one that
 * is not those bytes, a range that cannot be had (a missing pack, a 416), or an index that is
 * not the one the root lists only means that those objects are fetched one by one, as without
 * packs (logged). A source that sends a pack only whole (a server that ignores {@code Range})
 * is read once from its start through the ranges that lie close enough together. Not API.
 *
 * <p>Thread-safe: a batch's objects are taken from the fetching threads of one install.
 */
final class PackReader {
  private static final Logger LOG = LoggerFactory.getLogger(PackReader.class);
  /** Objects closer than this in a pack are read in one range, the gap read over. */
  static final long MAX_GAP = 16 * 1024;
  /** The longest range read at once (compressed bytes held in memory). */
  static final long MAX_RANGE = 4L * 1024 * 1024;
  /**
   * The fewest objects worth reading a pack's index for (one request): fewer are fetched one by
   * one, which costs no more requests.
   */
  static final int MIN_OBJECTS = 4;
  /**
   * When a source sends a pack only whole (an HTTP server that ignores {@code Range}), the most
   * bytes skipped to reach the next range in it; ranges further on are fetched one by one.
   */
  static final long MAX_SKIP = 1024 * 1024;

  /** A reader of no packs: every object is fetched on its own. */
  static final PackReader NONE = new PackReader(null, null, List.of(), Optional.empty());

  /** One object an install will take: its name and uncompressed size, as its manifest lists. */
  record Want(String sha256, long size) {}

  private final ReleaseSource source;
  private final Release release;
  private final List<PackRef> candidates;
  private final Map<PackRef, Map<String, Location>> indexes = new ConcurrentHashMap<>();
  private final Map<PackRef, Boolean> noRanges = new ConcurrentHashMap<>();

  /**
   * A reader of the packs {@code packs} (as the root of {@code release}'s manifest lists them)
   * for an install whose live release is {@code live}: packs of releases no newer than it are
   * not read (it holds their objects). A first install (no live release, it fetches only the
   * manifest's pages this way) reads the release's own pack alone.
   */
  PackReader(ReleaseSource source, Release release, List<PackRef> packs, Optional<Version> live) {
    this.source = source;
    this.release = release;
    this.candidates = live.isEmpty() ? packs.stream().limit(1).toList() : packs.stream()
        .filter(p -> p.version().compareTo(live.get()) > 0).toList();
  }

  /**
   * Places {@code wants} (listed once per expected take) in the packs, reading pack indexes as
   * needed (one request each), and plans the ranges; nothing else is fetched yet.
   */
  Batch batch(List<Want> wants) throws InterruptedIOException {
    return batches(List.of(wants)).get(0);
  }

  /**
   * Like {@link #batch}, one batch per group of {@code groups}, placed together (so that an
   * index is read for their objects together) but planned apart: the ranges of one group never
   * hold another group's objects, which may be taken much later (whole files, then chunks).
   */
  List<Batch> batches(List<List<Want>> groups) throws InterruptedIOException {
    Map<String, Want> unplaced = new LinkedHashMap<>();
    for (List<Want> group : groups) {
      for (Want w : group) {
        if (w.size() <= ChunkRebuilder.MAX_CHUNK_IN_MEMORY) {
          unplaced.putIfAbsent(w.sha256(), w);
        }
      }
    }
    int wanted = unplaced.size();
    Map<String, Placed> placed = new HashMap<>();
    for (PackRef pack : candidates) {
      if (unplaced.size() < MIN_OBJECTS && !indexes.containsKey(pack)) {
        break;
      }
      Map<String, Location> index = index(pack);
      for (var it = unplaced.values().iterator(); it.hasNext(); ) {
        Want w = it.next();
        Location at = index.get(Packs.prefix(w.sha256()));
        if (at != null && at.length() <= ZlibObjects.maxCompressedSize(w.size())) {
          placed.put(w.sha256(), new Placed(w, at));
          it.remove();
        }
      }
    }
    List<Batch> batches = new ArrayList<>();
    int ranges = 0;
    for (List<Want> group : groups) {
      Map<String, Integer> takes = new HashMap<>();
      Map<PackRef, List<Placed>> byPack = new LinkedHashMap<>();
      for (Want w : group) {
        Placed p = placed.get(w.sha256());
        if (p != null && takes.merge(w.sha256(), 1, Integer::sum) == 1) {
          byPack.computeIfAbsent(p.at().pack(), k -> new ArrayList<>()).add(p);
        }
      }
      Batch batch = new Batch(takes);
      byPack.values().forEach(batch::plan);
      ranges += batch.ranges;
      batches.add(batch);
    }
    if (!placed.isEmpty()) {
      LOG.info("{}: {} object(s) in {} range(s) of pack(s), {} fetched one by one",
          release.version(), placed.size(), ranges, wanted - placed.size());
    }
    return batches;
  }

  /** The index of {@code pack}, read once; empty when it cannot be had (logged). */
  private Map<String, Location> index(PackRef pack) throws InterruptedIOException {
    Map<String, Location> known = indexes.get(pack);
    if (known != null) {
      return known;
    }
    Map<String, Location> index = Map.of();
    try (InputStream in = ObjectStreams.open(source, release, pack.index(), pack.size(), true)) {
      byte[] bytes = in.readNBytes(Math.toIntExact(pack.size() + 1));
      ManifestPages.verify(new ManifestPages.PageRef(pack.index(), pack.size(), 1), bytes,
          "the index of " + pack.location());
      index = Packs.readIndex(pack, bytes);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot use {} for {} ({}); its objects are fetched one by one",
          pack.location(), release.version(), Failures.describe(e));
    }
    indexes.put(pack, index);
    return index;
  }

  /**
   * The object {@code want} from {@code length} compressed bytes at {@code offset} of {@code
   * range}, inflated and checked; empty (logged) when they are not its listed bytes.
   */
  private Optional<byte[]> inflate(byte[] range, int offset, int length, Want want,
      PackRef pack) {
    try (InputStream in = ZlibObjects.inflating(new ByteArrayInputStream(range, offset,
        length))) {
      byte[] bytes = in.readNBytes(Math.toIntExact(want.size() + 1));
      String sha = HexFormat.of().formatHex(Downloader.sha256().digest(bytes));
      if (bytes.length == want.size() && sha.equals(want.sha256())) {
        return Optional.of(bytes);
      }
      LOG.warn("The object {} of {} in {} is {} bytes hashing to {}, not the listed ones; "
          + "fetching it on its own", want.sha256(), release.version(), pack.location(),
          bytes.length, sha);
    } catch (IOException e) {
      LOG.warn("The object {} of {} in {} does not inflate ({}); fetching it on its own",
          want.sha256(), release.version(), pack.location(), e.toString());
    }
    return Optional.empty();
  }

  /** An object placed in a pack. */
  private record Placed(Want want, Location at) {}

  /** Some placed objects of one pack read with one request: bytes {@code start} to {@code end}. */
  private final class Range {
    final PackRef pack;
    final long start;
    long end;
    final List<Placed> members = new ArrayList<>();
    /** The ranges of the same pack in this batch, in pack order, this one included. */
    final List<Range> siblings;
    /** The checked objects, once read (empty when the range could not be had). */
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    /** Set by the one thread that reads this range (or reads it out of a whole file). */
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch read = new CountDownLatch(1);

    Range(Placed first, List<Range> siblings) {
      this.siblings = siblings;
      this.pack = first.at().pack();
      this.start = first.at().offset();
      this.end = start + first.at().length();
      members.add(first);
    }

    /**
     * The checked objects of this range, read by the first caller while the others wait
     * (interruptibly); empty when it could not be had.
     */
    Map<String, byte[]> objects() throws InterruptedIOException {
      if (claimed.compareAndSet(false, true)) {
        try {
          fetch();
        } catch (InterruptedIOException e) {
          throw e;
        } catch (IOException | RuntimeException e) {
          LOG.warn("Cannot read bytes {}-{} of {} for {} ({}); fetching its {} object(s) one by "
              + "one", start, end - 1, pack.location(), release.version(), Failures.describe(e),
              members.size());
        } finally {
          read.countDown();
        }
      }
      try {
        read.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading " + pack.location());
      }
      return objects;
    }

    private void fetch() throws IOException {
      if (noRanges.containsKey(pack)) {
        return;
      }
      // named by its index: the pack as a whole has no listed SHA-256, its objects are checked
      Artifact file = new Artifact(pack.index() + ".pack", pack.bytes(), pack.index(),
          pack.location());
      ReleaseSource.Opened opened = source.openPart(file, start, end - start);
      try (InputStream in = opened.body()) {
        // A part (at byte 0 a whole file looks like one: the next range of the pack finds out)
        if (opened.offset() == start) {
          fill(in);
          return;
        }
        // The whole pack is coming: read this range and the next ones out of it, while the
        // bytes to skip stay small; then fetch the others one by one.
        noRanges.put(pack, true);
        if (start > MAX_SKIP) {
          throw new IOException("the source sends " + pack.location() + " only whole, and "
              + "the range starts " + start + " bytes in");
        }
        LOG.info("{}: the source sends {} only whole; reading the ranges out of it",
            release.version(), pack.location());
        in.skipNBytes(start);
        fill(in);
        long position = end;
        for (Range next : siblings.subList(siblings.indexOf(this) + 1, siblings.size())) {
          if (next.start - position > MAX_SKIP) {
            break;
          }
          position = next.fillFrom(in, position);
        }
      }
    }

    /**
     * Fills this range from {@code in}, which stands at {@code position} of the pack, unless
     * another thread reads it; returns where {@code in} stands then.
     */
    private long fillFrom(InputStream in, long position) throws IOException {
      if (!claimed.compareAndSet(false, true)) {
        return position;
      }
      try {
        in.skipNBytes(start - position);
        fill(in);
        return end;
      } finally {
        read.countDown();
      }
    }

    /** Reads this range's bytes from {@code in} and keeps the objects that check. */
    private void fill(InputStream in) throws IOException {
      byte[] bytes = in.readNBytes(Math.toIntExact(end - start));
      if (bytes.length != end - start) {
        throw new IOException("the range ended after " + bytes.length + " of its "
            + (end - start) + " bytes");
      }
      for (Placed p : members) {
        inflate(bytes, (int) (p.at().offset() - start), (int) p.at().length(),
            p.want(), pack).ifPresent(b -> objects.put(p.want().sha256(), b));
      }
    }
  }

  /** The planned ranges of one batch, and the objects taken from them. */
  final class Batch {
    private final Map<String, Range> rangeOf = new HashMap<>();
    private final Map<String, Integer> takes;
    private int ranges;

    private Batch(Map<String, Integer> takes) {
      this.takes = new ConcurrentHashMap<>(takes);
    }

    /** Gathers the objects placed in one pack into ranges, in pack order. */
    private void plan(List<Placed> placed) {
      placed.sort(Comparator.comparingLong(p -> p.at().offset()));
      List<Range> siblings = new ArrayList<>();
      Range current = null;
      for (Placed p : placed) {
        long next = p.at().offset() + p.at().length();
        if (current != null && p.at().offset() - current.end <= MAX_GAP
            && next - current.start <= MAX_RANGE) {
          current.end = next;
          current.members.add(p);
        } else {
          current = new Range(p, siblings);
          siblings.add(current);
          ranges++;
        }
        rangeOf.put(p.want().sha256(), current);
      }
    }

    /**
     * The checked bytes of the object {@code sha256}, read with its range (which the first
     * taker fetches, the others wait for); empty when it is in no pack or could not be had
     * from one: the caller fetches it on its own.
     */
    Optional<byte[]> take(String sha256) throws InterruptedIOException {
      Range range = rangeOf.get(sha256);
      if (range == null) {
        return Optional.empty();
      }
      Map<String, byte[]> objects = range.objects();
      Integer left = takes.computeIfPresent(sha256, (k, n) -> n > 1 ? n - 1 : null);
      return Optional.ofNullable(left == null ? objects.remove(sha256) : objects.get(sha256));
    }
  }
}
