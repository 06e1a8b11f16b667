package dev.updater.core.internal.archive;

import dev.updater.core.spi.RejectedArchiveException;

/** Builds the messages of {@link RejectedArchiveException}s: the entry, the rule, what to do. */
public final class Rejections {
  private static final String REPUBLISH = "; the archive is refused: republish it without such entries";

  private Rejections() {}

  /** An entry broke a rule: {@code entry '<name>' <rule>; the archive is refused ...}. */
  static RejectedArchiveException entry(String rawName, String rule) {
    return new RejectedArchiveException("entry '" + printable(rawName) + "' " + rule + REPUBLISH);
  }

  /** The archive as a whole broke a rule. */
  static RejectedArchiveException archive(String rule, String advice) {
    return new RejectedArchiveException(rule + "; the archive is refused: " + advice);
  }

  /** The bytes could not be read as an archive of the expected format. */
  static RejectedArchiveException corrupt(String detail, Throwable cause) {
    String why = "";
    if (cause != null) {
      why = ": " + printable(cause.getMessage() != null
          ? cause.getMessage() : cause.getClass().getSimpleName());
    }
    return new RejectedArchiveException("the archive is corrupt or truncated (" + detail + why
        + "); the archive is refused: publish it again or check the file on the server", cause);
  }

  /** A name as it can be shown in a message: control characters as {@code \\uXXXX}. */
  public static String printable(String name) {
    StringBuilder sb = new StringBuilder(Math.min(name.length(), 300));
    for (int i = 0; i < name.length() && i < 256; i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (name.length() > 256) {
      sb.append("...(").append(name.length()).append(" characters)");
    }
    return sb.toString();
  }
}
