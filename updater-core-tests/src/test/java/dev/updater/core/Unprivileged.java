package dev.updater.core;

import dev.updater.testkit.crash.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Runs a child JVM that file permissions bind, even when this process is root (as in CI): root
 * ignores permissions through the capabilities {@code CAP_DAC_OVERRIDE}, {@code
 * CAP_DAC_READ_SEARCH} and {@code CAP_FOWNER}; the child is started through {@code setpriv} with
 * those removed from its bounding set, so that it is still uid 0 (it reads the build's class
 * path under {@code /root}) but a read-only directory refuses its writes like anyone's.
 *
 * <p>Whether this process needs that is found out, not guessed from the user name: it tries to
 * create a file in a directory it made read-only. Test use only.
 */
final class Unprivileged {
  private static final String[] SETPRIV = {"setpriv",
      "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"};

  private Unprivileged() {}

  /**
   * {@code child} as it is when this process obeys file permissions, else wrapped in {@code
   * setpriv}.
   *
   * @throws IllegalStateException when this process ignores permissions and {@code setpriv}
   *     (util-linux) is not installed: the test cannot make a read-only directory binding
   */
  static ChildJvm child(ChildJvm child) throws IOException, InterruptedException {
    if (!ignoresPermissions()) {
      return child;
    }
    Process p = new ProcessBuilder(SETPRIV[0], SETPRIV[1], SETPRIV[2], "true")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("this test runs as a user that ignores file permissions "
          + "(root), and 'setpriv' could not drop that privilege for the child: " + output
          + "; install util-linux's setpriv or run the tests as an ordinary user");
    }
    return child.wrappedIn(SETPRIV);
  }

  private static boolean ignoresPermissions() throws IOException {
    Path dir = Files.createTempDirectory("permission-probe-");
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
      try {
        Files.createFile(dir.resolve("probe"));
        Files.delete(dir.resolve("probe"));
        return true;
      } catch (IOException e) {
        return false;
      }
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Files.delete(dir);
    }
  }
}
