package dev.updater.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A release version with full <a href="https://semver.org/spec/v2.0.0.html">Semantic Versioning
 * 2.0.0</a> precedence.
 *
 * <p>A leading {@code v} (as Git tags have it, {@code v1.2.3}) is accepted and dropped. Pre-release
 * identifiers take part in precedence ({@code 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0}); build metadata
 * ({@code +build.5}) is kept for display but ignored by {@link #compareTo} and {@link #equals}, as
 * the specification requires.
 *
 * <pre>{@code
 * Version running = Version.parse("v1.4.0");
 * if (Version.parse("1.5.0-rc.1").isNewerThan(running)) { ... }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Version implements Comparable<Version> {
  private final long major;
  private final long minor;
  private final long patch;
  private final List<String> preRelease;
  private final String build;

  private Version(long major, long minor, long patch, List<String> preRelease, String build) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.preRelease = List.copyOf(preRelease);
    this.build = build;
  }

  /**
   * Parses a version such as {@code 1.2.3}, {@code v1.2.3}, {@code 1.0.0-rc.1+build.7}.
   *
   * @throws IllegalArgumentException naming what is wrong with the text, when it is not a
   *     Semantic Version
   */
  public static Version parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.startsWith("v") || text.startsWith("V") ? text.substring(1) : text;
    if (s.isEmpty()) {
      throw invalid(text, "it is empty");
    }
    String build = "";
    int plus = s.indexOf('+');
    if (plus >= 0) {
      build = s.substring(plus + 1);
      s = s.substring(0, plus);
      requireIdentifiers(text, build, "build metadata", false);
    }
    List<String> pre = List.of();
    int dash = s.indexOf('-');
    if (dash >= 0) {
      String preText = s.substring(dash + 1);
      s = s.substring(0, dash);
      requireIdentifiers(text, preText, "pre-release", true);
      pre = List.of(preText.split("\\.", -1));
    }
    String[] core = s.split("\\.", -1);
    if (core.length != 3) {
      throw invalid(text, "it needs exactly MAJOR.MINOR.PATCH, found " + core.length + " part(s)");
    }
    return new Version(
        numeric(text, core[0], "major"), numeric(text, core[1], "minor"),
        numeric(text, core[2], "patch"), pre, build);
  }

  /**
   * Returns the version written in the manifest of the jar that holds {@code type}: its
   * {@code Implementation-Version} attribute. A host passes its own main class and so knows the
   * version it runs without a constant to keep in step with the build. Maven's jar plugin writes
   * the attribute from the project's version with {@code <addDefaultImplementationEntries>true
   * </addDefaultImplementationEntries>} in its {@code <archive><manifest>} configuration; Gradle's
   * {@code jar} task with {@code manifest.attributes("Implementation-Version": version)}.
   *
   * <pre>{@code
   * Version running = Version.fromManifest(MyApp.class).orElseThrow(
   *     () -> new IllegalStateException("run MyApp from its jar: its version is in the manifest"));
   * Updater updater = Updater.builder()
   *     // ...
   *     .runningVersion(running)
   *     .build();
   * }</pre>
   *
   * <p>When {@code type} was not loaded from a jar file (a directory of classes, as an IDE runs
   * them, or a nested jar), the version its class loader recorded for the package is used, if
   * any. Thread-safe; it reads the jar at each call.
   *
   * @param type a class of the application, loaded from the application's jar
   * @return the version, or empty when the class is not in a jar whose manifest has the attribute
   * @throws IllegalArgumentException when the attribute is there but is not a Semantic Version;
   *     the message names the jar and the value
   * @throws java.io.UncheckedIOException when the jar cannot be read
   */
  public static Optional<Version> fromManifest(Class<?> type) {
    Objects.requireNonNull(type, "type");
    return ManifestVersion.of(type);
  }

  /** Returns the version {@code major.minor.patch} without pre-release or build metadata. */
  public static Version of(long major, long minor, long patch) {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("version numbers must not be negative: "
          + major + "." + minor + "." + patch);
    }
    return new Version(major, minor, patch, List.of(), "");
  }

  public long major() {
    return major;
  }

  public long minor() {
    return minor;
  }

  public long patch() {
    return patch;
  }

  /** The dot-separated pre-release identifiers; empty for a normal release. */
  public List<String> preRelease() {
    return preRelease;
  }

  /** The build metadata after {@code +}, if any; it never affects precedence. */
  public Optional<String> build() {
    return build.isEmpty() ? Optional.empty() : Optional.of(build);
  }

  /** True when this version carries pre-release identifiers ({@code 2.0.0-beta.1}). */
  public boolean isPreRelease() {
    return !preRelease.isEmpty();
  }

  /** True when this version has higher precedence than {@code other}. */
  public boolean isNewerThan(Version other) {
    return compareTo(other) > 0;
  }

  /** True when this version has lower precedence than {@code other}. */
  public boolean isOlderThan(Version other) {
    return compareTo(other) < 0;
  }

  @Override
  public int compareTo(Version other) {
    int c = Long.compare(major, other.major);
    if (c == 0) {
      c = Long.compare(minor, other.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, other.patch);
    }
    return c != 0 ? c : comparePreRelease(preRelease, other.preRelease);
  }

  private static int comparePreRelease(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(a.isEmpty(), b.isEmpty()); // a normal release outranks a pre-release
    }
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compareIdentifier(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareIdentifier(String a, String b) {
    boolean aNum = isNumeric(a);
    boolean bNum = isNumeric(b);
    if (aNum && bNum) {
      return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
    if (aNum != bNum) {
      return aNum ? -1 : 1; // numeric identifiers have lower precedence than alphanumeric ones
    }
    return a.compareTo(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Version && compareTo((Version) o) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(major, minor, patch, preRelease);
  }

  /** The canonical text, without a leading {@code v}: {@code 1.2.3-rc.1+build.7}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(major).append('.').append(minor).append('.')
        .append(patch);
    if (!preRelease.isEmpty()) {
      sb.append('-').append(String.join(".", preRelease));
    }
    if (!build.isEmpty()) {
      sb.append('+').append(build);
    }
    return sb.toString();
  }

  private static long numeric(String text, String part, String name) {
    if (part.isEmpty()) {
      throw invalid(text, "the " + name + " number is empty");
    }
    if (!isNumeric(part)) {
      throw invalid(text, "the " + name + " number '" + part + "' is not a non-negative integer");
    }
    if (part.length() > 1 && part.charAt(0) == '0') {
      throw invalid(text, "the " + name + " number '" + part + "' has a leading zero");
    }
    try {
      return Long.parseLong(part);
    } catch (NumberFormatException e) {
      throw invalid(text, "the " + name + " number '" + part + "' is too large");
    }
  }

  private static void requireIdentifiers(String text, String ids, String what, boolean numericRule) {
    List<String> parts = new ArrayList<>(List.of(ids.split("\\.", -1)));
    for (String id : parts) {
      if (id.isEmpty()) {
        throw invalid(text, "the " + what + " has an empty identifier");
      }
      for (int i = 0; i < id.length(); i++) {
        char ch = id.charAt(i);
        boolean ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
            || ch == '-';
        if (!ok) {
          throw invalid(text, "the " + what + " identifier '" + id
              + "' may hold only ASCII letters, digits and hyphens");
        }
      }
      if (numericRule && isNumeric(id) && id.length() > 1 && id.charAt(0) == '0') {
        throw invalid(text, "the " + what + " identifier '" + id + "' has a leading zero");
      }
    }
  }

  private static boolean isNumeric(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "'" + text + "' is not a Semantic Version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): " + why);
  }
}
