package dev.updater.core.internal.archive;

import dev.updater.core.spi.RejectedArchiveException;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The rules for names inside an archive: which entry names and link targets are accepted, how they
 * are normalised and when two names collide. Pure string logic, no file system access.
 */
public final class EntryNames {
  /** The name of the release root itself ({@code ./} or {@code .}). */
  public static final String ROOT = "";

  private final int maxDepth;
  private final int maxPathLength;

  public EntryNames(int maxDepth, int maxPathLength) {
    this.maxDepth = maxDepth;
    this.maxPathLength = maxPathLength;
  }

  /**
   * Checks an entry name and returns it normalised: one leading {@code ./} and one trailing
   * {@code /} removed; {@link #ROOT} for {@code ./}.
   */
  public String entry(String raw) throws RejectedArchiveException {
    return normalise(raw, raw, "");
  }

  /** Checks the target of a hard link entry {@code rawName} and returns it normalised. */
  String hardLinkTarget(String rawName, String rawTarget) throws RejectedArchiveException {
    return normalise(rawName, rawTarget, "is a hard link to '" + Rejections.printable(rawTarget) + "' which ");
  }

  /**
   * Checks the target of a symbolic link entry named {@code name} (already normalised): relative,
   * no backslash or NUL, and it must not climb above the release root when read as a path from
   * the link's directory. Whether it really resolves inside is checked on disk afterwards.
   */
  public void symlinkTarget(String rawName, String name, String target) throws RejectedArchiveException {
    String about = "is a symbolic link to '" + Rejections.printable(target) + "' which ";
    if (target.isEmpty()) {
      throw Rejections.entry(rawName, "is a symbolic link with an empty target");
    }
    checkCharacters(rawName, target, about);
    Deque<String> dir = new ArrayDeque<>();
    String[] parts = name.split("/", -1);
    for (int i = 0; i < parts.length - 1; i++) {
      dir.addLast(parts[i]);
    }
    for (String segment : target.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (dir.isEmpty()) {
          throw Rejections.entry(rawName, about + "leaves the release directory");
        }
        dir.removeLast();
      } else {
        dir.addLast(segment);
      }
    }
  }

  /**
   * The key under which two names collide: NFC-normalised and lower-cased, so that {@code Lib/a}
   * and {@code lib/a}, or NFC and NFD spellings of the same word, meet on a case-insensitive or
   * normalising file system (macOS, Windows).
   */
  public static String collisionKey(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }

  private String normalise(String rawName, String raw, String about) throws RejectedArchiveException {
    if (raw.isEmpty()) {
      throw Rejections.entry(rawName, about + "has an empty name");
    }
    checkCharacters(rawName, raw, about);
    String name = raw.startsWith("./") ? raw.substring(2) : raw;
    if (name.isEmpty() || name.equals(".")) {
      return ROOT;
    }
    if (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    String[] segments = name.split("/", -1);
    for (String segment : segments) {
      if (segment.equals("..")) {
        throw Rejections.entry(rawName, about + "leaves the release directory (a '..' segment)");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        throw Rejections.entry(rawName, about + "has an empty or '.' path segment");
      }
    }
    if (segments.length > maxDepth) {
      throw Rejections.entry(rawName, about + "is deeper than the limit of " + maxDepth
          + " levels (maxDepth)");
    }
    return name;
  }

  private void checkCharacters(String rawName, String value, String about)
      throws RejectedArchiveException {
    if (value.length() > maxPathLength) {
      throw Rejections.entry(rawName, about + "is longer than the limit of " + maxPathLength
          + " characters (maxPathLength)");
    }
    if (value.indexOf('\0') >= 0) {
      throw Rejections.entry(rawName, about + "contains a NUL character");
    }
    if (value.indexOf('\\') >= 0) {
      throw Rejections.entry(rawName, about
          + "contains a backslash (a Windows path separator; use '/')");
    }
    if (value.startsWith("/")) {
      throw Rejections.entry(rawName, about + "is an absolute path");
    }
    if (value.length() >= 2 && value.charAt(1) == ':' && isAsciiLetter(value.charAt(0))) {
      throw Rejections.entry(rawName, about + "starts with a Windows drive letter");
    }
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
