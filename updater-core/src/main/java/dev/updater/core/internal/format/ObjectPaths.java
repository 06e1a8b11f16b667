package dev.updater.core.internal.format;

import java.util.regex.Pattern;

/**
 * Where a repository keeps the content-addressed objects of release trees: {@code
 * objects/<first two hex digits>/<sha256>}, one file per distinct content, as manifests of
 * formats 1 and 2 name them; and {@code objects/<first two hex digits>/<sha256>.zlib}, the same
 * content compressed ({@link ZlibObjects}), as manifests of format 3 name them (files, chunks of
 * files and manifest pages alike). The SHA-256 is always the one of the uncompressed content. Not
 * API.
 */
public final class ObjectPaths {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private ObjectPaths() {}

  /**
   * The repository-relative path of the object {@code sha256}, such as {@code
   * objects/9f/9f86d0...}.
   *
   * @throws IllegalArgumentException when {@code sha256} is not 64 lower-case hex digits (so the
   *     path can never leave {@code objects/})
   */
  public static String relative(String sha256) {
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("an object name must be 64 lower-case hex digits, was '"
          + sha256 + "'");
    }
    return "objects/" + sha256.substring(0, 2) + "/" + sha256;
  }

  /**
   * The repository-relative path of the compressed object {@code sha256}, such as {@code
   * objects/9f/9f86d0....zlib}.
   *
   * @throws IllegalArgumentException when {@code sha256} is not 64 lower-case hex digits
   */
  public static String compressed(String sha256) {
    return relative(sha256) + ZlibObjects.SUFFIX;
  }
}
