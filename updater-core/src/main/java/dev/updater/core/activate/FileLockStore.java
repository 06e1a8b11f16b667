package dev.updater.core.activate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.spi.Lease;
import dev.updater.core.spi.LockStore;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link LockStore} for one install: a small JSON record in a file (normally
 * {@code <home>/.updater/lock.json}) naming the holder, its process, its fencing token and its
 * expiry, read and changed only under an operating-system file lock (and an in-process mutex, for
 * threads of one JVM).
 *
 * <p>A lock is taken over when it has expired, or when its holder was a process on this host that
 * no longer runs; the takeover is logged. Tokens increase with every acquisition and survive
 * release. A lock held by a live process (this one included: two updaters in one JVM exclude each
 * other) or by a process on another host is never taken over before it expires.
 *
 * <p>The record looks like
 * {@code {"token":7,"owner":"node-1","pid":4242,"host":"app-1","processStart":"...",
 * "acquiredAt":"...","expiresAt":"..."}}; when free only {@code token} is kept. It is replaced
 * atomically and only while holding an exclusive lock on the sibling file {@code <name>.guard},
 * which also records the highest token handed out. That file must never be deleted while the lock
 * may be in use. A record that cannot be parsed counts as free (logged as a warning) and tokens
 * continue after the highest one recorded in the guard file or still legible in the damaged record,
 * so a damaged file never wedges updates and never sends tokens backwards. Taking the lock forces
 * the new token and record to disk; a renewal or a release, which keep the token, replaces the
 * record without forcing it (every process sees it at once; after a power loss the holder is gone,
 * and the older or unreadable record that may remain frees the lock as it should).
 *
 * <pre>{@code
 * LockStore lock = FileLockStore.create(layout.state().resolve("lock.json"));
 * }</pre>
 *
 * <p>Thread-safe and safe across processes on one host.
 */
public final class FileLockStore implements LockStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileLockStore.class);
  /** One mutex per lock file: threads of one JVM cannot hold two OS locks on one file. */
  private static final ConcurrentHashMap<Path, ReentrantLock> MUTEXES = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*(\\d{1,18})");
  private static final int GUARD_BYTES = 21; // 20 digits and a newline

  private final Path file;
  private final Path guard;
  private final Clock clock;

  private FileLockStore(Path file, Clock clock) {
    this.file = file;
    this.guard = file.resolveSibling(file.getFileName() + ".guard");
    this.clock = clock;
  }

  /** A lock kept in {@code file}, on the system clock. */
  public static FileLockStore create(Path file) {
    return create(file, Clock.systemUTC());
  }

  /** A lock kept in {@code file}, with expiry judged by {@code clock}. */
  public static FileLockStore create(Path file, Clock clock) {
    return new FileLockStore(Objects.requireNonNull(file, "file").toAbsolutePath(),
        Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public Optional<Lease> tryAcquire(String owner, Duration ttl) throws IOException {
    requireOwner(owner);
    requireTtl(ttl);
    return locked(state -> {
      Instant now = clock.instant();
      Optional<Holder> old = state.record.holder;
      if (old.isPresent()) {
        Optional<String> why = takeoverReason(old.get(), now);
        if (why.isEmpty()) {
          return Optional.empty();
        }
        LOG.warn("Taking over update lock {} from {} (token {}): {}", file, old.get().describe(),
            state.record.token, why.get());
      }
      Lease lease = new Lease(owner, state.highestToken + 1, now, now.plus(ttl));
      state.write(new Record(lease.token(), Optional.of(Holder.of(lease, Self.INSTANCE))));
      LOG.debug("Acquired update lock {} for {} with token {}", file, owner, lease.token());
      return Optional.of(lease);
    });
  }

  @Override
  public Optional<Lease> renew(Lease lease, Duration ttl) throws IOException {
    Objects.requireNonNull(lease, "lease");
    requireTtl(ttl);
    return locked(state -> {
      if (!state.record.isHeldBy(lease)) {
        return Optional.empty();
      }
      Holder h = state.record.holder.orElseThrow();
      Holder renewed = new Holder(h.owner, h.pid, h.host, h.processStart, h.acquiredAt,
          clock.instant().plus(ttl));
      state.keepToken(new Record(state.record.token, Optional.of(renewed)));
      return Optional.of(renewed.lease(state.record.token));
    });
  }

  @Override
  public void release(Lease lease) throws IOException {
    Objects.requireNonNull(lease, "lease");
    locked(state -> {
      if (state.record.isHeldBy(lease)) {
        state.keepToken(new Record(state.record.token, Optional.empty()));
        LOG.debug("Released update lock {} (token {})", file, lease.token());
      } else {
        LOG.debug("Not releasing update lock {}: token {} no longer holds it", file, lease.token());
      }
      return null;
    });
  }

  /** The holder, unless the lock is free, expired, or held by a process known to be gone. */
  @Override
  public Optional<Lease> holder() throws IOException {
    return locked(state -> {
      Optional<Holder> h = state.record.holder;
      if (h.isEmpty() || takeoverReason(h.get(), clock.instant()).isPresent()) {
        return Optional.empty();
      }
      return Optional.of(h.get().lease(state.record.token));
    });
  }

  /** Why {@code h} may be taken over now, or empty when it still holds the lock. */
  private static Optional<String> takeoverReason(Holder h, Instant now) {
    if (!now.isBefore(h.expiresAt)) {
      return Optional.of("it expired at " + h.expiresAt);
    }
    if (!h.host.equals(Self.INSTANCE.host)) {
      return Optional.empty(); // another host's processes cannot be seen from here
    }
    Optional<ProcessHandle> process = ProcessHandle.of(h.pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return Optional.of("its process " + h.pid + " no longer runs");
    }
    Optional<Instant> started = process.get().info().startInstant();
    if (h.processStart.isPresent() && started.isPresent()
        && !h.processStart.get().equals(started.get())) {
      return Optional.of("its process " + h.pid + " no longer runs (the id now belongs to a"
          + " process started at " + started.get() + ")");
    }
    return Optional.empty();
  }

  private interface Action<T> {
    T apply(State state) throws IOException;
  }

  /** Runs {@code action} holding the in-JVM mutex and the OS lock on the guard file. */
  private <T> T locked(Action<T> action) throws IOException {
    Path dir = Files.createDirectories(file.getParent());
    Path key = dir.toRealPath().resolve(file.getFileName().toString());
    ReentrantLock mutex = MUTEXES.computeIfAbsent(key, k -> new ReentrantLock());
    mutex.lock();
    try (FileChannel ch = FileChannel.open(guard, StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      return action.apply(new State(ch));
    } finally {
      mutex.unlock();
    }
  }

  /** The record and the highest token, as read under the lock. */
  private final class State {
    private final FileChannel guardChannel;
    final Record record;
    final long highestToken;

    State(FileChannel guardChannel) throws IOException {
      this.guardChannel = guardChannel;
      this.record = readRecord();
      this.highestToken = Math.max(record.token, readGuardToken());
    }

    /** Records the token in the guard file first, so the guard never falls behind the record. */
    void write(Record next) throws IOException {
      byte[] digits = String.format("%020d\n", next.token).getBytes(StandardCharsets.US_ASCII);
      ByteBuffer buf = ByteBuffer.wrap(digits, 0, Math.min(digits.length, GUARD_BYTES));
      long pos = 0;
      while (buf.hasRemaining()) {
        pos += guardChannel.write(buf, pos);
      }
      guardChannel.force(false);
      AtomicFiles.write(file, next.toJson());
    }

    /**
     * Replaces the record with {@code next}, which keeps its token (a renewal or a release), and
     * forces nothing to disk: every process sees the new record at once, and after a power loss,
     * when the record may be the previous one or unreadable, the holder's process is gone, so
     * either frees the lock as it should. The guard keeps the token, forced when it was taken.
     */
    void keepToken(Record next) throws IOException {
      if (next.token != record.token) {
        throw new IllegalStateException("a new token must be recorded with write");
      }
      AtomicFiles.writeUnforced(file, next.toJson());
    }

    private long readGuardToken() throws IOException {
      ByteBuffer buf = ByteBuffer.allocate(GUARD_BYTES);
      while (buf.hasRemaining() && guardChannel.read(buf, buf.position()) > 0) {
        // keep reading
      }
      String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
      return text.matches("\\d{1,20}") ? parseOrZero(text) : 0;
    }

    private Record readRecord() throws IOException {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        return new Record(0, Optional.empty());
      }
      try {
        return Record.parse(bytes);
      } catch (RuntimeException | IOException e) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Matcher m = TOKEN.matcher(text);
        long legible = m.find() ? parseOrZero(m.group(1)) : 0;
        LOG.warn("Update lock file {} is unreadable ({}); treating the lock as free, tokens"
            + " continue after {}", file, e.getMessage(), Math.max(legible, readGuardToken()));
        return new Record(legible, Optional.empty());
      }
    }
  }

  private static long parseOrZero(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The lock file's content: the last token handed out and the holder, if held. */
  private static final class Record {
    final long token;
    final Optional<Holder> holder;

    Record(long token, Optional<Holder> holder) {
      this.token = token;
      this.holder = holder;
    }

    boolean isHeldBy(Lease lease) {
      return holder.isPresent() && token == lease.token()
          && holder.get().owner.equals(lease.owner());
    }

    static Record parse(byte[] bytes) throws IOException {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject() || !n.path("token").isIntegralNumber()
          || n.path("token").asLong() < 0) {
        throw new IOException("not a lock record with a non-negative token");
      }
      long token = n.get("token").asLong();
      if (!n.hasNonNull("owner")) {
        return new Record(token, Optional.empty());
      }
      if (!n.path("pid").isIntegralNumber()) {
        throw new IOException("lock record has no numeric 'pid'");
      }
      Optional<Instant> start = n.hasNonNull("processStart")
          ? Optional.of(Instant.parse(n.get("processStart").asText())) : Optional.empty();
      return new Record(token, Optional.of(new Holder(text(n, "owner"), n.get("pid").asLong(),
          text(n, "host"), start, Instant.parse(text(n, "acquiredAt")),
          Instant.parse(text(n, "expiresAt")))));
    }

    private static String text(JsonNode n, String field) throws IOException {
      JsonNode v = n.get(field);
      if (v == null || !v.isTextual()) {
        throw new IOException("lock record has no text field '" + field + "'");
      }
      return v.asText();
    }

    byte[] toJson() throws IOException {
      ObjectNode n = JSON.createObjectNode().put("token", token);
      holder.ifPresent(h -> {
        n.put("owner", h.owner).put("pid", h.pid).put("host", h.host);
        h.processStart.ifPresent(s -> n.put("processStart", s.toString()));
        n.put("acquiredAt", h.acquiredAt.toString()).put("expiresAt", h.expiresAt.toString());
      });
      return (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Who holds the lock: the caller's owner name and the process that took it. */
  private static final class Holder {
    final String owner;
    final long pid;
    final String host;
    final Optional<Instant> processStart;
    final Instant acquiredAt;
    final Instant expiresAt;

    Holder(String owner, long pid, String host, Optional<Instant> processStart,
        Instant acquiredAt, Instant expiresAt) {
      this.owner = owner;
      this.pid = pid;
      this.host = host;
      this.processStart = processStart;
      this.acquiredAt = acquiredAt;
      this.expiresAt = expiresAt;
    }

    static Holder of(Lease lease, Self self) {
      return new Holder(lease.owner(), self.pid, self.host, self.start, lease.acquiredAt(),
          lease.expiresAt());
    }

    Lease lease(long token) {
      return new Lease(owner, token, acquiredAt, expiresAt);
    }

    String describe() {
      return "'" + owner + "' (process " + pid + " on " + host + ", until " + expiresAt + ")";
    }
  }

  /** This process, as recorded in the lock; looked up once. */
  private static final class Self {
    static final Self INSTANCE = new Self();

    final long pid;
    final String host;
    final Optional<Instant> start;

    private Self() {
      ProcessHandle me = ProcessHandle.current();
      this.pid = me.pid();
      this.start = me.info().startInstant();
      this.host = hostName();
    }

    private static String hostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        String env = System.getenv("HOSTNAME");
        return env != null && !env.isBlank() ? env : "localhost";
      }
    }
  }

  private static void requireOwner(String owner) {
    Objects.requireNonNull(owner, "owner");
    if (owner.isBlank()) {
      throw new IllegalArgumentException("owner must not be blank");
    }
  }

  private static void requireTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
  }
}
