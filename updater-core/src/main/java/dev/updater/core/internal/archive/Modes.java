package dev.updater.core.internal.archive;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * How the mode bits of an archive entry become POSIX permissions: executable and read bits are
 * kept; setuid, setgid, sticky and group/other write are dropped; files get at least owner
 * read/write and directories at least owner read/write/execute.
 */
public final class Modes {
  /** Mode of files whose archive carries no mode (zip from a non-Unix system). */
  static final int DEFAULT_FILE = 0644;
  /** Mode of directories that have no entry of their own or carry no mode. */
  static final int DEFAULT_DIRECTORY = 0755;

  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ,
  };

  private Modes() {}

  public static int file(int mode) {
    return (mode & 0755) | 0600;
  }

  public static int directory(int mode) {
    return (mode & 0755) | 0700;
  }

  public static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(BITS[i]);
      }
    }
    return set;
  }
}
