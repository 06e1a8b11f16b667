package dev.updater.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collects the figures, prints a RATIO or FIGURE line for each at once and a table at the end. */
final class Results {
  private record Row(String name, String library, String baseline, String value, String target,
      String met) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /**
   * A ratio library/baseline (lower is better for the library); {@code target} is the most it may
   * be, or {@code NaN} when there is none.
   */
  void ratio(String name, double library, double baseline, String unit, double target) {
    double ratio = library / baseline;
    System.out.printf(Locale.ROOT, "RATIO %s %.3f%n", name, ratio);
    rows.add(new Row(name, fmt(library) + " " + unit, fmt(baseline) + " " + unit,
        String.format(Locale.ROOT, "%.3f", ratio),
        Double.isNaN(target) ? "-" : String.format(Locale.ROOT, "<= %s", fmt(target)),
        Double.isNaN(target) ? "-" : ratio <= target ? "yes" : "NO"));
  }

  /** An absolute figure; {@code target} is the most it may be, or {@code NaN}. */
  void figure(String name, double value, String unit, double target) {
    System.out.printf(Locale.ROOT, "FIGURE %s %s %s%n", name, fmt(value), unit);
    rows.add(new Row(name, "", "", fmt(value) + " " + unit,
        Double.isNaN(target) ? "-" : "<= " + fmt(target) + " " + unit,
        Double.isNaN(target) ? "-" : value <= target ? "yes" : "NO"));
  }

  /**
   * What a figure does not show, such as a job a peer does differently or not at all; printed as
   * {@code NOTE <name> <text>} at once and under the table.
   */
  void note(String name, String text) {
    System.out.printf(Locale.ROOT, "NOTE %s %s%n", name, text);
    notes.add(name + ": " + text);
  }

  /** Prints the summary table, then the notes. */
  void printTable() {
    String format = "| %-34s | %-15s | %-15s | %-15s | %-14s | %-4s |%n";
    System.out.println();
    System.out.printf(format, "figure", "library", "baseline", "ratio / value", "target", "met");
    System.out.printf(format, "-".repeat(34), "-".repeat(15), "-".repeat(15), "-".repeat(15),
        "-".repeat(14), "-".repeat(4));
    for (Row r : rows) {
      System.out.printf(format, r.name, r.library, r.baseline, r.value, r.target, r.met);
    }
    if (!notes.isEmpty()) {
      System.out.println();
      notes.forEach(n -> System.out.println("- " + n));
    }
  }

  static String fmt(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
