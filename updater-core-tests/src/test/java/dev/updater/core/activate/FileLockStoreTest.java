package dev.updater.core.activate;

import dev.updater.core.LockHolderMain;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.updater.core.spi.Lease;
import dev.updater.testkit.MutableClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileLockStore} on the real disk, with threads and child processes. */
public class FileLockStoreTest {
  private static final Duration TTL = Duration.ofMinutes(1);

  @TempDir Path tmp;
  private Path lockFile;
  private MutableClock clock;
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void setUp() {
    lockFile = tmp.resolve(".updater").resolve("lock.json");
    clock = MutableClock.at(Instant.parse("2025-01-01T00:00:00Z"));
  }

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  private FileLockStore store() {
    return FileLockStore.create(lockFile, clock);
  }

  // ---- acquire, release, tokens --------------------------------------------------------------

  @Test
  void shouldGiveAGreaterTokenToEveryAcquisitionAcrossReleases() throws IOException {
    Lease first = store().tryAcquire("a", TTL).orElseThrow();
    store().release(first);
    Lease second = store().tryAcquire("b", TTL).orElseThrow();
    store().release(second);
    Lease third = store().tryAcquire("a", TTL).orElseThrow();

    assertThat(List.of(first.token(), second.token(), third.token())).containsExactly(1L, 2L, 3L);
  }

  @Test
  void shouldCreateTheDirectoryOfTheLockFile() throws IOException {
    store().tryAcquire("a", TTL).orElseThrow();

    assertThat(Files.isRegularFile(lockFile)).isTrue();
  }

  @Test
  void shouldRecordTheLeaseItHandsOut() throws IOException {
    Lease lease = store().tryAcquire("node-1", TTL).orElseThrow();

    assertThat(lease.owner()).isEqualTo("node-1");
    assertThat(lease.acquiredAt()).isEqualTo(clock.instant());
    assertThat(lease.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    assertThat(FileLockStore.create(lockFile, clock).holder()).contains(lease);
  }

  @Test
  void shouldRefuseASecondAcquireInTheSameJvm() throws IOException {
    store().tryAcquire("updater-1", TTL).orElseThrow();

    assertThat(FileLockStore.create(lockFile, clock).tryAcquire("updater-2", TTL)).isEmpty();
    assertThat(store().tryAcquire("updater-1", TTL)).isEmpty();
  }

  @Test
  void shouldLetExactlyOneOfManyRacingThreadsWin() throws Exception {
    int threads = 8;
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Optional<Lease>>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String owner = "thread-" + i;
        results.add(pool.submit(() -> {
          FileLockStore own = FileLockStore.create(lockFile, clock);
          ready.countDown();
          go.await();
          return own.tryAcquire(owner, TTL);
        }));
      }
      ready.await();
      go.countDown();
      List<Lease> winners = new ArrayList<>();
      for (Future<Optional<Lease>> f : results) {
        f.get().ifPresent(winners::add);
      }

      assertThat(winners).hasSize(1);
      assertThat(winners.get(0).token()).isEqualTo(1);
      assertThat(store().holder()).contains(winners.get(0));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldReportNoHolderWhenFree() throws IOException {
    assertThat(store().holder()).isEmpty();
    store().release(store().tryAcquire("a", TTL).orElseThrow());
    assertThat(store().holder()).isEmpty();
  }

  // ---- expiry, renew, release --------------------------------------------------------------

  @Test
  void shouldTakeOverAnExpiredLockWithTheNextToken() throws IOException {
    Lease old = store().tryAcquire("a", TTL).orElseThrow();
    clock.advance(TTL.minusSeconds(1));
    assertThat(store().tryAcquire("b", TTL)).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    Lease taken = store().tryAcquire("b", TTL).orElseThrow();

    assertThat(taken.token()).isEqualTo(old.token() + 1);
    assertThat(store().holder()).contains(taken);
  }

  @Test
  void shouldReportNoHolderOnceTheLockExpired() throws IOException {
    store().tryAcquire("a", TTL).orElseThrow();
    clock.advance(TTL);

    assertThat(store().holder()).isEmpty();
  }

  @Test
  void shouldExtendAHeldLeaseWhenRenewed() throws IOException {
    Lease lease = store().tryAcquire("a", TTL).orElseThrow();
    clock.advance(TTL.minusSeconds(10));

    Lease renewed = store().renew(lease, TTL).orElseThrow();
    clock.advance(Duration.ofSeconds(30)); // past the first expiry, within the renewed one

    assertThat(renewed.token()).isEqualTo(lease.token());
    assertThat(renewed.acquiredAt()).isEqualTo(lease.acquiredAt());
    assertThat(renewed.expiresAt()).isEqualTo(lease.acquiredAt().plus(TTL.minusSeconds(10)).plus(TTL));
    assertThat(store().tryAcquire("b", TTL)).isEmpty();
  }

  @Test
  void shouldNotRenewALeaseThatWasTakenOver() throws IOException {
    Lease stale = store().tryAcquire("a", TTL).orElseThrow();
    clock.advance(TTL);
    Lease current = store().tryAcquire("b", TTL).orElseThrow();

    assertThat(store().renew(stale, TTL)).isEmpty();
    assertThat(store().holder()).contains(current);
  }

  @Test
  void shouldNotRenewAReleasedLease() throws IOException {
    Lease lease = store().tryAcquire("a", TTL).orElseThrow();
    store().release(lease);

    assertThat(store().renew(lease, TTL)).isEmpty();
    assertThat(store().holder()).isEmpty();
  }

  @Test
  void shouldNotFreeTheNewHoldersLockWhenAStaleLeaseIsReleased() throws IOException {
    Lease stale = store().tryAcquire("a", TTL).orElseThrow();
    clock.advance(TTL);
    Lease current = store().tryAcquire("b", TTL).orElseThrow();

    store().release(stale);

    assertThat(store().holder()).contains(current);
    assertThat(store().tryAcquire("c", TTL)).isEmpty();
  }

  @Test
  void shouldNotReleaseForALeaseWithTheRightTokenButAnotherOwner() throws IOException {
    Lease lease = store().tryAcquire("a", TTL).orElseThrow();

    store().release(new Lease("impostor", lease.token(), lease.acquiredAt(), lease.expiresAt()));

    assertThat(store().holder()).contains(lease);
  }

  // ---- damaged and hand-written records ------------------------------------------------------

  @Test
  void shouldTreatAGarbageLockFileAsFreeAndKeepTokensIncreasing() throws IOException {
    store().release(store().tryAcquire("a", TTL).orElseThrow());
    store().tryAcquire("b", TTL).orElseThrow();
    Files.writeString(lockFile, "\u0000\u0000garbage{{");

    Lease lease = store().tryAcquire("c", TTL).orElseThrow();

    assertThat(lease.token()).isEqualTo(3);
  }

  @Test
  void shouldTreatAnEmptyLockFileAsFree() throws IOException {
    store().tryAcquire("a", TTL).orElseThrow();
    Files.write(lockFile, new byte[0]);

    assertThat(store().tryAcquire("b", TTL).map(Lease::token)).contains(2L);
  }

  @Test
  void shouldContinueFromATokenStillLegibleInADamagedRecordWhenTheGuardIsGone()
      throws IOException {
    Files.createDirectories(lockFile.getParent());
    Files.writeString(lockFile, "{\"token\": 41, \"owner\": \"a\", \"pid\": ");

    assertThat(store().tryAcquire("b", TTL).map(Lease::token)).contains(42L);
  }

  @Test
  void shouldTakeOverALockWhoseProcessIdNowBelongsToAnotherProcess() throws IOException {
    assumeTrue(ProcessHandle.current().info().startInstant().isPresent(),
        "needs process start times");
    writeRecord(7, ProcessHandle.current().pid(), hostOfThisMachine(), "2000-01-01T00:00:00Z");

    assertThat(store().tryAcquire("b", TTL).map(Lease::token)).contains(8L);
  }

  @Test
  void shouldKeepALockHeldOnAnotherHostUntilItExpires() throws IOException {
    writeRecord(7, Long.MAX_VALUE, "some-other-host", null);

    assertThat(store().tryAcquire("b", TTL)).isEmpty();
    assertThat(store().holder().map(Lease::owner)).contains("elsewhere");
    clock.advance(TTL);
    assertThat(store().tryAcquire("b", TTL).map(Lease::token)).contains(8L);
  }

  // ---- processes ---------------------------------------------------------------------------

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a safety net against a hung child, not a measure
  void shouldTakeOverALockWhoseHolderProcessExited() throws Exception {
    Process child = spawn("exit");
    assertThat(firstLine(child)).isEqualTo("HELD 1");
    assertThat(child.waitFor()).isZero();

    Lease lease = store().tryAcquire("parent", TTL).orElseThrow();

    assertThat(lease.token()).isEqualTo(2);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void shouldTakeOverALockWhoseHolderProcessWasKilled() throws Exception {
    Process child = spawn("hold");
    assertThat(firstLine(child)).isEqualTo("HELD 1");
    assertThat(store().tryAcquire("parent", TTL)).isEmpty();

    child.destroyForcibly().waitFor();

    assertThat(store().tryAcquire("parent", TTL).map(Lease::token)).contains(2L);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void shouldNotTakeOverALockHeldByALiveProcess() throws Exception {
    Process child = spawn("hold");
    assertThat(firstLine(child)).isEqualTo("HELD 1");

    assertThat(store().tryAcquire("parent", TTL)).isEmpty();
    assertThat(store().holder().map(Lease::owner)).contains("child");

    child.getOutputStream().close();
    assertThat(child.waitFor()).isZero();
    assertThat(store().tryAcquire("parent", TTL).map(Lease::token)).contains(2L);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void shouldRefuseAChildProcessWhileThisProcessHoldsTheLock() throws Exception {
    FileLockStore.create(lockFile).tryAcquire("parent", TTL).orElseThrow();

    Process child = spawn("exit");

    assertThat(firstLine(child)).isEqualTo("BUSY");
  }

  // ---- arguments ---------------------------------------------------------------------------

  @Test
  void shouldRejectABlankOwnerAndANonPositiveTtl() {
    assertThatThrownBy(() -> store().tryAcquire(" ", TTL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().tryAcquire("a", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().tryAcquire(null, TTL))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("owner");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private Process spawn(String mode) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp",
        System.getProperty("java.class.path"), LockHolderMain.class.getName(),
        lockFile.toString(), mode)
        .redirectError(tmp.resolve("child-" + children.size() + ".err").toFile());
    Process p = pb.start();
    children.add(p);
    return p;
  }

  private static String firstLine(Process p) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
    return String.valueOf(in.readLine());
  }

  /** The host name the store records; learnt from a lock it wrote. */
  private String hostOfThisMachine() throws IOException {
    Path probe = tmp.resolve("probe.json");
    FileLockStore.create(probe, clock).tryAcquire("probe", TTL).orElseThrow();
    String json = Files.readString(probe);
    int at = json.indexOf("\"host\":\"") + 8;
    return json.substring(at, json.indexOf('"', at));
  }

  private void writeRecord(long token, long pid, String host, String processStart)
      throws IOException {
    Files.createDirectories(lockFile.getParent());
    Files.writeString(lockFile, "{\"token\":" + token + ",\"owner\":\"elsewhere\",\"pid\":" + pid
        + ",\"host\":\"" + host + "\","
        + (processStart == null ? "" : "\"processStart\":\"" + processStart + "\",")
        + "\"acquiredAt\":\"" + clock.instant() + "\",\"expiresAt\":\""
        + clock.instant().plus(TTL) + "\"}");
  }
}
