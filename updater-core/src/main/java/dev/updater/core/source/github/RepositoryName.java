package dev.updater.core.source.github;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code owner/repo} name of a GitHub repository, as {@link GitHubReleaseSource} accepts it:
 * the owner letters, digits and inner hyphens (at most 39), the repository letters, digits,
 * {@code .}, {@code _} and {@code -} (at most 100, neither {@code .} nor {@code ..}). Stateless.
 */
final class RepositoryName {
  private static final Pattern OWNER =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?");
  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private RepositoryName() {}

  /** Whether {@code text} is a valid {@code owner/repo}. */
  static boolean isValid(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String owner = text.substring(0, slash);
    String repo = text.substring(slash + 1);
    return OWNER.matcher(owner).matches() && REPO.matcher(repo).matches() && !repo.equals(".")
        && !repo.equals("..");
  }

  /**
   * {@code repository} itself when it is valid.
   *
   * @throws IllegalArgumentException naming {@code what} when it is not {@code owner/repo}
   */
  static String check(String repository, String what) {
    Objects.requireNonNull(repository, what);
    if (!isValid(repository)) {
      throw new IllegalArgumentException(what + " '" + repository + "' is not 'owner/repo': the "
          + "owner is letters, digits and inner hyphens (at most 39), the repository letters, "
          + "digits, '.', '_' and '-' (at most 100)");
    }
    return repository;
  }
}
