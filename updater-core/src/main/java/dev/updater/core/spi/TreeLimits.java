package dev.updater.core.spi;

/**
 * The bounds of the trees a {@link Stager} writes, declared through {@link Stager#exactTree()}: a
 * release's per-file manifest that lists more entries or bytes, deeper paths or longer names is
 * refused before anything is staged from it.
 *
 * <pre>{@code
 * TreeLimits limits = new TreeLimits(100_000, 8L << 30, 64, 1024);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxEntries the most entries (files, directories, links) a tree may hold
 * @param maxTotalBytes the most bytes its files may hold in total
 * @param maxDepth the most path segments an entry's name may have
 * @param maxPathLength the longest entry name, in characters
 */
public record TreeLimits(int maxEntries, long maxTotalBytes, int maxDepth, int maxPathLength) {

  /**
   * Checks the bounds.
   *
   * @throws IllegalArgumentException when a bound is not positive
   */
  public TreeLimits {
    positive("maxEntries", maxEntries);
    positive("maxTotalBytes", maxTotalBytes);
    positive("maxDepth", maxDepth);
    positive("maxPathLength", maxPathLength);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
