package dev.updater.core.internal.format;

/**
 * The syntax of the hashes and chunk references in manifests, pages and pack indexes, checked by
 * hand: a manifest lists thousands of them, and a regular expression made parsing one a third
 * slower. Not API.
 */
final class HashSyntax {
  private HashSyntax() {}

  /** True when {@code text} is 64 lower-case hex digits. */
  static boolean isSha256(String text) {
    return text.length() == 64 && lowerHex(text, 0, 64);
  }

  /**
   * True when {@code text} is {@code <sha256>:<size>} (64 lower-case hex digits, a colon, a
   * positive decimal of at most 18 digits).
   */
  static boolean isChunk(String text) {
    int n = text.length();
    boolean ok = n >= 66 && n <= 83 && text.charAt(64) == ':' && lowerHex(text, 0, 64)
        && text.charAt(65) != '0';
    for (int i = 65; ok && i < n; i++) {
      ok = text.charAt(i) >= '0' && text.charAt(i) <= '9';
    }
    return ok;
  }

  private static boolean lowerHex(String text, int from, int to) {
    boolean ok = true;
    for (int i = from; ok && i < to; i++) {
      char c = text.charAt(i);
      ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
    }
    return ok;
  }
}
