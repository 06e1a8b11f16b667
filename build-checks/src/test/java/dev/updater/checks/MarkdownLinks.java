package dev.updater.checks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the relative links of Markdown files that do not resolve: a link or image {@code
 * [text](target)}, or a reference definition {@code [name]: target}, whose file is missing, or
 * whose {@code #anchor} names no heading of the Markdown file it points to.
 *
 * <p>Links with a scheme ({@code https:}, {@code mailto:} ...) are not followed. Fenced code blocks
 * and inline code spans are not Markdown, so links written inside them are ignored. Anchors follow
 * GitHub's rule: the heading's text in lower case, every character that is not a letter, digit,
 * space, hyphen or underscore removed, each space turned into a hyphen, and {@code -1}, {@code -2}
 * ... added to repeated headings; an HTML {@code id} or {@code name} attribute counts too.
 *
 * <pre>{@code
 * List<MarkdownLinks.Broken> broken =
 *     new MarkdownLinks(root).check(MarkdownLinks.documentation(root));
 * }</pre>
 *
 * <p>Not thread-safe: it caches the anchors of the files it has read.
 */
final class MarkdownLinks {

  /**
   * A link that does not resolve.
   *
   * @param file the Markdown file the link is written in
   * @param line its line number, from 1
   * @param target the target as written
   * @param reason what is wrong with it
   */
  record Broken(Path file, int line, String target, String reason) {

    /** {@code docs/x.md:12 -> target (reason)}, with the file relative to {@code root}. */
    String describe(Path root) {
      return root.relativize(file) + ":" + line + " -> " + target + " (" + reason + ")";
    }
  }

  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})(?:\\s+(.*?))?\\s*$");
  private static final Pattern CLOSING_HASHES = Pattern.compile("\\s+#+$");
  private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*(\\S+)");
  private static final Pattern HTML_ID =
      Pattern.compile("<[a-zA-Z][^>]*\\s(?:id|name)\\s*=\\s*[\"']([^\"']+)[\"']");
  private static final Pattern INLINE_LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");
  private static final Pattern HTML_TAG = Pattern.compile("<[^>]+>");
  private static final Pattern EDGE_UNDERSCORES =
      Pattern.compile("(?<![\\p{L}\\p{N}])_+|_+(?![\\p{L}\\p{N}])");
  private static final Pattern NOT_IN_ANCHOR = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  private final Path root;
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  /** A checker of the files under {@code root}; a link may not lead out of it. */
  MarkdownLinks(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The documentation of a checkout: README.md, CHANGELOG.md and every .md under docs/. */
  static List<Path> documentation(Path root) {
    List<Path> files = new ArrayList<>();
    for (String name : List.of("README.md", "CHANGELOG.md")) {
      if (Files.isRegularFile(root.resolve(name))) {
        files.add(root.resolve(name));
      }
    }
    Path docs = root.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> walk = Files.walk(docs)) {
        walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** Every link of {@code files} that does not resolve, in file and line order. */
  List<Broken> check(List<Path> files) {
    List<Broken> broken = new ArrayList<>();
    for (Path file : files) {
      Path absolute = file.toAbsolutePath().normalize();
      for (Link link : links(read(absolute))) {
        String reason = problem(absolute, link.target());
        if (reason != null) {
          broken.add(new Broken(absolute, link.line(), link.target(), reason));
        }
      }
    }
    return broken;
  }

  /** How many links with a target {@code files} hold, followed or not. */
  static int count(List<Path> files) {
    return files.stream().mapToInt(f -> links(read(f.toAbsolutePath())).size()).sum();
  }

  /** A link's target and the line it is on. */
  record Link(int line, String target) {}

  /** The link targets written in {@code lines}, outside code. */
  static List<Link> links(List<String> lines) {
    List<Link> links = new ArrayList<>();
    List<String> prose = prose(lines);
    for (int i = 0; i < prose.size(); i++) {
      String text = blankCodeSpans(prose.get(i));
      Matcher d = DEFINITION.matcher(text);
      if (d.find()) {
        links.add(new Link(i + 1, unbracket(d.group(1))));
        continue;
      }
      for (int at = text.indexOf("]("); at >= 0; at = text.indexOf("](", at + 2)) {
        String target = target(text, at + 2);
        if (target != null) {
          links.add(new Link(i + 1, target));
        }
      }
    }
    return links;
  }

  /** The anchors the headings (and HTML ids) of {@code lines} define. */
  static Set<String> anchors(List<String> lines) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose(lines)) {
      Matcher ids = HTML_ID.matcher(line);
      while (ids.find()) {
        anchors.add(ids.group(1));
      }
      Matcher h = HEADING.matcher(line);
      if (h.matches()) {
        String title = h.group(2) == null ? "" : CLOSING_HASHES.matcher(h.group(2)).replaceAll("");
        String anchor = anchor(title);
        int n = seen.merge(anchor, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? anchor : anchor + "-" + n);
      }
    }
    return anchors;
  }

  /**
   * {@code lines} with those of fenced code blocks (fences included) replaced by empty lines, so
   * that indexes still give line numbers.
   */
  static List<String> prose(List<String> lines) {
    List<String> prose = new ArrayList<>(lines.size());
    String fence = null;
    for (String line : lines) {
      Matcher f = FENCE.matcher(line);
      boolean isFence = f.find();
      if (fence == null && isFence) {
        fence = f.group(1);
      } else if (fence != null && isFence && f.group(1).charAt(0) == fence.charAt(0)
          && f.group(1).length() >= fence.length() && line.strip().equals(f.group(1))) {
        fence = null;
      } else if (fence == null) {
        prose.add(line);
        continue;
      }
      prose.add("");
    }
    return prose;
  }

  /** GitHub's anchor for a heading written as {@code title} (Markdown, without the hashes). */
  static String anchor(String title) {
    StringBuilder text = new StringBuilder();
    String plain = HTML_TAG.matcher(INLINE_LINK.matcher(title).replaceAll("$1")).replaceAll("");
    // Inside code spans every character is literal; outside, underscores at a word's edge are
    // emphasis and disappear when the heading is rendered.
    String[] parts = plain.split("`+", -1);
    for (int i = 0; i < parts.length; i++) {
      text.append(i % 2 == 1 ? parts[i] : EDGE_UNDERSCORES.matcher(parts[i]).replaceAll(""));
    }
    String kept = NOT_IN_ANCHOR.matcher(text.toString().strip().toLowerCase(Locale.ROOT))
        .replaceAll("");
    return kept.replace(' ', '-');
  }

  /** Why {@code target}, written in {@code file}, does not resolve, or null when it does. */
  private String problem(Path file, String target) {
    if (SCHEME.matcher(target).find()) {
      return null;
    }
    int hash = target.indexOf('#');
    String path = decode(hash < 0 ? target : target.substring(0, hash));
    String fragment = hash < 0 ? null : decode(target.substring(hash + 1));
    Path resolved;
    if (path.isEmpty()) {
      resolved = file;
    } else if (path.startsWith("/")) {
      resolved = root.resolve(path.substring(1)).normalize();
    } else {
      resolved = file.getParent().resolve(path).normalize();
    }
    if (!resolved.startsWith(root)) {
      return "leads out of the checkout";
    }
    if (!Files.exists(resolved)) {
      return "no such file";
    }
    if (fragment == null || !resolved.toString().endsWith(".md")) {
      return null;
    }
    if (fragment.isEmpty()) {
      return "empty anchor";
    }
    Set<String> known = anchors.computeIfAbsent(resolved, p -> anchors(read(p)));
    return known.contains(fragment) ? null : "no heading with anchor #" + fragment;
  }

  /** The target of an inline link whose parenthesis opens at {@code from}, or null if none. */
  private static String target(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    if (i < text.length() && text.charAt(i) == '<') {
      int close = text.indexOf('>', i);
      return close < 0 ? null : emptyToNull(text.substring(i + 1, close));
    }
    int depth = 0;
    int start = i;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        break;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (depth == 0) {
          break;
        }
        depth--;
      }
    }
    return i < text.length() ? emptyToNull(text.substring(start, i)) : null;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static String unbracket(String target) {
    return target.startsWith("<") && target.endsWith(">")
        ? target.substring(1, target.length() - 1) : target;
  }

  /** {@code line} with its code spans (from a run of backticks to the next run as long) blanked. */
  static String blankCodeSpans(String line) {
    StringBuilder out = new StringBuilder(line);
    int i = line.indexOf('`');
    while (i >= 0) {
      int run = runOfTicks(line, i);
      int close = i + run;
      int found = -1;
      while ((close = line.indexOf('`', close)) >= 0) {
        int len = runOfTicks(line, close);
        if (len == run) {
          found = close;
          break;
        }
        close += len;
      }
      if (found < 0) {
        i = line.indexOf('`', i + run);
        continue;
      }
      for (int k = i; k < found + run; k++) {
        out.setCharAt(k, ' ');
      }
      i = line.indexOf('`', found + run);
    }
    return out.toString();
  }

  private static int runOfTicks(String line, int at) {
    int end = at;
    while (end < line.length() && line.charAt(end) == '`') {
      end++;
    }
    return end - at;
  }

  /** {@code %XX} escapes decoded as UTF-8; a {@code +} stays a plus, as in a URL's path. */
  private static String decode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      int percent = s.indexOf('%', i);
      int end = percent < 0 ? s.length() : percent;
      bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
      if (percent < 0) {
        break;
      }
      if (percent + 2 < s.length() && Character.digit(s.charAt(percent + 1), 16) >= 0
          && Character.digit(s.charAt(percent + 2), 16) >= 0) {
        bytes.write(Integer.parseInt(s.substring(percent + 1, percent + 3), 16));
        i = percent + 3;
      } else {
        bytes.write('%');
        i = percent + 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
