package dev.updater.snippets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that every {@code ```java} block of a Markdown page is marked with
 * {@code <!-- snippet: File#name -->} on the line above it, and equals the region of that source
 * file between {@code // tag::name[]} and {@code // end::name[]} (after removing the common
 * indentation of both). Tag lines inside a region are left out, so regions may nest.
 */
final class Snippets {
  static final Pattern MARKER = Pattern.compile("<!--\\s*snippet:\\s*([^#\\s]+)#(\\S+)\\s*-->");
  private static final Pattern TAG = Pattern.compile("^\\s*// (tag|end)::(\\S+)\\[]\\s*$");

  private final Path sources;

  /** Reads the tagged regions of the files under {@code sources}. */
  Snippets(Path sources) {
    this.sources = sources;
  }

  /** Returns one message per problem of the page, each naming the page and the line. */
  List<String> check(Path page, String name) {
    List<String> lines = read(page);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().startsWith("```java")) {
        continue;
      }
      int open = i;
      List<String> block = new ArrayList<>();
      for (i = open + 1; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
        block.add(lines.get(i));
      }
      String where = name + ":" + (open + 1);
      Matcher marker = open > 0 ? MARKER.matcher(lines.get(open - 1).strip()) : null;
      if (marker == null || !marker.matches()) {
        problems.add(where + ": this ```java block has no marker. Put the code in a tagged region"
            + " of updater-docs-snippets/src/test/java and write <!-- snippet: File#name --> on"
            + " the line above the block (docs/README.md, \"For contributors\").");
        continue;
      }
      String problem = compare(marker.group(1), marker.group(2), dedent(block));
      if (problem != null) {
        problems.add(where + ": " + problem);
      }
    }
    return problems;
  }

  /**
   * Returns the page with each marked {@code ```java} block replaced by its region, indented as
   * the block's fence; blocks without a marker or whose region is missing are left as they are.
   */
  String rewrite(Path page) {
    List<String> lines = read(page);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      out.add(line);
      Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1).strip()) : null;
      if (!line.strip().startsWith("```java") || marker == null || !marker.matches()) {
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().equals("```")) {
        end++;
      }
      List<Path> found = find(marker.group(1));
      if (found.size() != 1) {
        continue;
      }
      String indent = line.substring(0, line.length() - line.stripLeading().length());
      try {
        for (String code : region(found.get(0), marker.group(2))) {
          out.add(code.isEmpty() ? "" : indent + code);
        }
      } catch (IllegalArgumentException e) {
        out.addAll(lines.subList(i + 1, end));
      }
      i = end - 1;
    }
    return String.join("\n", out) + "\n";
  }

  private String compare(String file, String tag, List<String> shown) {
    List<Path> found = find(file);
    if (found.size() != 1) {
      return "the marker names " + file + ", which matches " + found.size()
          + " files under " + sources + " (it needs exactly one)";
    }
    List<String> region;
    try {
      region = region(found.get(0), tag);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    int n = Math.max(shown.size(), region.size());
    for (int k = 0; k < n; k++) {
      String page = k < shown.size() ? shown.get(k) : "(nothing)";
      String code = k < region.size() ? region.get(k) : "(nothing)";
      if (!page.equals(code)) {
        return "the block differs from " + file + "#" + tag + " at its line " + (k + 1)
            + ":\n    page: " + page + "\n    code: " + code
            + "\n  Copy the region into the page, or fix the code and then the page.";
      }
    }
    return null;
  }

  /** The lines between the tag's start and end, without tag lines, with common indent removed. */
  static List<String> region(Path file, String tag) {
    List<String> lines = read(file);
    List<String> region = null;
    boolean ended = false;
    for (String line : lines) {
      Matcher m = TAG.matcher(line);
      if (m.matches() && m.group(2).equals(tag)) {
        if (m.group(1).equals("tag")) {
          if (region != null) {
            throw new IllegalArgumentException(file.getFileName() + " has tag::" + tag
                + "[] twice");
          }
          region = new ArrayList<>();
        } else if (region != null) {
          ended = true;
          break;
        }
      } else if (region != null && !m.matches()) {
        region.add(line);
      }
    }
    if (region == null || !ended) {
      throw new IllegalArgumentException(file.getFileName() + " has no region " + tag
          + " (// tag::" + tag + "[] ... // end::" + tag + "[])");
    }
    return dedent(region);
  }

  static List<String> dedent(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.isBlank() ? "" : l.substring(indent).stripTrailing());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    return out;
  }

  private List<Path> find(String file) {
    String wanted = file.endsWith(".java") ? file : file + ".java";
    try (Stream<Path> all = Files.walk(sources)) {
      return all.filter(p -> p.toString().endsWith("/" + wanted)
          || p.getFileName().toString().equals(wanted)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
