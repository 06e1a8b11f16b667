package dev.updater.core.internal;

import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The detached watcher's main, started by {@link WatcherProcess} just before the host restarts
 * into a new release:
 *
 * <pre>
 * WatcherMain --home H --target V --host-pid P --max-starts N --poll-ms M --command-timeout-ms T
 *     --lock-ttl-ms L --give-up-at INSTANT -- restart command ...
 * </pre>
 *
 * <p>It reads the journal every poll interval without the lock. While the operation towards
 * {@code V} is still in progress it waits (and recovers it if the host process {@code P} died
 * before handing over); while {@code V} awaits confirmation it takes the lock only when a decision
 * is due (the deadline passed, or the crash-loop count was reached), so that it never keeps the new
 * process from confirming. It exits once {@code V} no longer awaits confirmation. Everything it does
 * is printed to its output, which the updater sends to {@code .updater/watcher.log}. Not API.
 */
public final class WatcherMain {
  /** The watcher writes its process id here, in {@code .updater/}. */
  public static final String PID_FILE = "watcher.pid";

  /** Whether the watcher already said that it waits for a live lock holder. */
  private static boolean busyLogged;

  private WatcherMain() {}

  /** Runs the watcher with the arguments above; exits 0 once nothing is left to watch. */
  public static void main(String[] args) {
    try {
      System.exit(run(args));
    } catch (RuntimeException e) {
      log("watcher failed: " + e);
      e.printStackTrace(System.out);
      System.exit(1);
    }
  }

  static int run(String[] args) {
    Map<String, String> opts = new HashMap<>();
    List<String> command = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        command.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      opts.put(args[i], args[++i]);
    }
    Path home = Path.of(opts.get("--home"));
    Version target = Version.parse(opts.get("--target"));
    long hostPid = Long.parseLong(opts.get("--host-pid"));
    int maxStarts = Integer.parseInt(opts.get("--max-starts"));
    Duration poll = Duration.ofMillis(Long.parseLong(opts.get("--poll-ms")));
    Duration commandTimeout = Duration.ofMillis(Long.parseLong(opts.get("--command-timeout-ms")));
    Duration lockTtl = Duration.ofMillis(Long.parseLong(opts.get("--lock-ttl-ms")));
    Instant giveUpAt = Instant.parse(opts.get("--give-up-at"));
    long pid = ProcessHandle.current().pid();
    CommandRestarter restarter = new CommandRestarter(command, commandTimeout);
    Clock clock = Clock.systemUTC();
    Supervision supervision = Supervision.of(home, maxStarts, restarter,
        "watcher:" + hostName() + ":" + pid, lockTtl, "the watcher, process " + pid, clock);
    writePid(supervision.layout().state().resolve(PID_FILE), pid);
    log("watching " + target + " in " + home + " (host process " + hostPid + ", restart command: "
        + restarter + ")");
    boolean announced = false;
    while (clock.instant().isBefore(giveUpAt)) {
      Supervision.Snapshot s = supervision.snapshot();
      if (!s.unfinished() || !s.to().equals(Optional.of(target))) {
        log(ending(s, target));
        return 0;
      }
      if (s.awaitingConfirmation()) {
        Instant deadline = s.confirmBy().orElseThrow();
        if (!announced) {
          log(target + " awaits confirmation until " + deadline);
          announced = true;
        }
        boolean due = !clock.instant().isBefore(deadline) || s.starts() >= maxStarts;
        if (due && decide(supervision, target)) {
          return 0;
        }
      } else if (!ProcessHandle.of(hostPid).map(ProcessHandle::isAlive).orElse(false)) {
        log("the host process " + hostPid + " ended before it handed " + target
            + " over for confirmation; recovering");
        if (decide(supervision, target)) {
          return 0;
        }
      }
      sleep(poll);
    }
    log("gave up at " + giveUpAt + ": " + target + " still awaits a decision; the next updater"
        + " that starts on the install decides");
    return 2;
  }

  /** Applies the rule under the lock; true when the watcher is done. */
  private static boolean decide(Supervision supervision, Version target) {
    try {
      Supervision.Result result = supervision.settle(Supervision.Start.DONT_COUNT);
      switch (result) {
        case BUSY:
          if (!busyLogged) {
            log("a live process holds the update lock; waiting for it");
            busyLogged = true;
          }
          return false;
        case ROLLED_BACK:
          log("rolled back " + target + "; " + supervision.active().map(v -> v + " is live")
              .orElse("no release is live"));
          return true;
        case RECOVERED:
          log("recovered the interrupted update to " + target);
          return true;
        default:
          return false;
      }
    } catch (UpdateException e) {
      log("the decision about " + target + " failed: " + e.getMessage());
      return true;
    }
  }

  private static String ending(Supervision.Snapshot s, Version target) {
    if (s.state() == UpdateStatus.State.COMPLETE && s.to().equals(Optional.of(target))) {
      return target + " was confirmed; nothing left to watch";
    }
    return target + " no longer awaits confirmation (the journal is " + s.state()
        + s.to().map(v -> " at " + v).orElse("") + "); nothing left to watch";
  }

  private static void writePid(Path file, long pid) {
    try {
      AtomicFiles.write(file, (pid + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      log("could not write " + file + ": " + e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String hostName() {
    String host = System.getenv().getOrDefault("HOSTNAME", "");
    if (host.isEmpty()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "localhost";
      }
    }
    return host;
  }

  static void log(String line) {
    System.out.println(Instant.now() + " watcher: " + line);
    System.out.flush();
  }
}
