package dev.updater.systemd;

import java.nio.file.Path;

/**
 * A child JVM's main for {@link ExitRestarterTest}: prints a line, starts a non-daemon thread that
 * would keep the JVM alive, then restarts with the real {@link ExitRestarter} of code
 * {@code args[0]}. Prints "returned" only if the restarter came back, which it must not.
 */
public final class ExitingHost {
  private ExitingHost() {}

  public static void main(String[] args) throws Exception {
    int code = Integer.parseInt(args[0]);
    Thread keepAlive = new Thread(() -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    keepAlive.start();
    System.out.print("about to exit");            // no newline: only a flush gets it out
    StandIns standIns = StandIns.in(Path.of(args[1]));
    ExitRestarter.withCode(code).restart(standIns.context());
    System.out.println("returned");
  }
}
