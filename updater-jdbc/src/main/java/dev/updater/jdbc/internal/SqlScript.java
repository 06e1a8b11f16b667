package dev.updater.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text of a SQL migration file into statements at each {@code ;} that is outside a
 * string, a quoted identifier, a comment or a PostgreSQL dollar-quoted body. Not API.
 *
 * <p>Understood: {@code '...'} strings (with {@code ''} inside), {@code "..."} identifiers (with
 * {@code ""}), {@code `...`} identifiers, {@code --} line comments, {@code /* *}{@code /}
 * block comments (nested, as PostgreSQL allows), and {@code $$...$$} or {@code $tag$...$tag$}
 * bodies. Not understood: SQLite's {@code CREATE TRIGGER ... BEGIN ...; END} (its inner {@code ;}
 * split the statement), backslash escapes in PostgreSQL {@code E'...'} strings that escape a quote
 * ({@code E'it\'s'}; write {@code 'it''s'}), and client commands such as psql's {@code \c}.
 *
 * <p>Stateless and thread-safe.
 */
public final class SqlScript {
  private SqlScript() {}

  /**
   * One statement of a script.
   *
   * @param sql the statement without its terminating {@code ;}, comments kept
   * @param line the line it starts on, from 1
   */
  public record Statement(String sql, int line) {}

  /**
   * The statements of {@code script}, in order; parts holding only blanks and comments are left
   * out.
   *
   * @throws IllegalArgumentException when a string, identifier, comment or dollar-quoted body is
   *     not closed, naming the line it opens on
   */
  public static List<Statement> split(String script) {
    List<Statement> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean meaningful = false; // the current statement holds more than blanks and comments
    int line = 1;
    int startLine = 1;
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      boolean comment = startsComment(script, i);
      if (!meaningful && !Character.isWhitespace(c) && !comment) {
        startLine = line;
      }
      int end = enclosedEnd(script, i, line);
      if (end >= 0) {
        line += count(script, i, end);
        current.append(script, i, end);
        meaningful |= !comment;
        i = end;
      } else if (c == ';') {
        if (meaningful) {
          statements.add(new Statement(current.toString().strip(), startLine));
        }
        current.setLength(0);
        meaningful = false;
        i++;
      } else {
        if (c == '\n') {
          line++;
        }
        if (!Character.isWhitespace(c)) {
          meaningful = true;
        }
        current.append(c);
        i++;
      }
    }
    if (meaningful) {
      statements.add(new Statement(current.toString().strip(), startLine));
    }
    return statements;
  }

  /**
   * The index after the string, quoted identifier, comment or dollar-quoted body that starts at
   * {@code i} (a line comment ends before its line break), or -1 when none starts there; a
   * {@code ;} inside one never ends a statement.
   *
   * @throws IllegalArgumentException when it is not closed, naming {@code line}, where it opens
   */
  private static int enclosedEnd(String script, int i, int line) {
    char c = script.charAt(i);
    if (c == '\'' || c == '"' || c == '`') {
      return closeQuote(script, i, c, line);
    }
    if (startsComment(script, i)) {
      if (c == '-') {
        int end = script.indexOf('\n', i);
        return end < 0 ? script.length() : end;
      }
      return closeBlockComment(script, i, line);
    }
    String tag = c == '$' ? dollarTag(script, i) : null;
    if (tag == null) {
      return -1;
    }
    int close = script.indexOf(tag, i + tag.length());
    if (close < 0) {
      throw new IllegalArgumentException("the dollar-quoted body " + tag + " opened on line "
          + line + " is never closed");
    }
    return close + tag.length();
  }

  private static boolean startsComment(String s, int i) {
    return i + 1 < s.length() && ((s.charAt(i) == '-' && s.charAt(i + 1) == '-')
        || (s.charAt(i) == '/' && s.charAt(i + 1) == '*'));
  }

  /** The index after the quote closing the one at {@code start}; a doubled quote stays inside. */
  private static int closeQuote(String s, int start, char close, int line) {
    int i = start + 1;
    while (i < s.length()) {
      if (s.charAt(i) == close) {
        if (i + 1 < s.length() && s.charAt(i + 1) == close) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    String what = s.charAt(start) == '\'' ? "string" : "quoted identifier";
    throw new IllegalArgumentException("the " + what + " opened on line " + line
        + " is never closed");
  }

  private static int closeBlockComment(String s, int start, int line) {
    int depth = 0;
    int i = start;
    while (i + 1 < s.length()) {
      if (s.charAt(i) == '/' && s.charAt(i + 1) == '*') {
        depth++;
        i += 2;
      } else if (s.charAt(i) == '*' && s.charAt(i + 1) == '/') {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    throw new IllegalArgumentException("the comment opened on line " + line + " is never closed");
  }

  /**
   * The tag ({@code $$} or {@code $name$}) starting at {@code i}, or null when the {@code $} there
   * does not open a dollar-quoted body (part of an identifier, or a parameter such as {@code $1}).
   */
  private static String dollarTag(String s, int i) {
    if (i > 0 && isIdentifierPart(s.charAt(i - 1))) {
      return null;
    }
    int j = i + 1;
    if (j < s.length() && Character.isDigit(s.charAt(j))) {
      return null;
    }
    while (j < s.length() && isIdentifierPart(s.charAt(j)) && s.charAt(j) != '$') {
      j++;
    }
    return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static int count(String s, int from, int to) {
    int lines = 0;
    for (int k = from; k < to; k++) {
      if (s.charAt(k) == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
