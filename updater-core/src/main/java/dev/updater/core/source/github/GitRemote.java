package dev.updater.core.source.github;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code owner/repo} of a Git checkout's {@code origin} remote from its {@code
 * .git/config}, for {@link dev.updater.core.source.github.GitHubReleaseSource#resolveRepository}. Not API.
 *
 * <p>{@code .git} may be a directory or, in a linked worktree or submodule, a file {@code gitdir:
 * <path>}; a worktree's {@code commondir} is followed to the shared config. The {@code url} of
 * section {@code [remote "origin"]} may be an https, http, ssh or git URL ({@code
 * https://github.com/owner/repo.git}, {@code ssh://git@github.com:22/owner/repo}) or the scp-like
 * form {@code git@github.com:owner/repo.git}; its path must be exactly two segments, {@code .git}
 * is dropped. The host is not checked (GitHub Enterprise has its own).
 *
 * <pre>{@code
 * Optional<String> repo = GitRemote.originRepository(Path.of("/opt/myapp"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
final class GitRemote {
  private static final Logger LOG = LoggerFactory.getLogger(GitRemote.class);
  private static final int MAX_CONFIG_BYTES = 1 << 20;
  private static final Pattern SECTION =
      Pattern.compile("\\[\\s*([A-Za-z0-9.-]+)(?:\\s+\"((?:[^\"\\\\]|\\\\.)*)\")?\\s*\\]\\s*(.*)");
  private static final Pattern SCP_LIKE = Pattern.compile("(?:[^@/:]+@)?[^/:]+:(?!//)(.+)");

  private GitRemote() {}

  /**
   * The {@code owner/repo} that {@code origin} of the checkout at {@code checkout} points to;
   * empty when there is no {@code .git}, no origin, or its URL has no {@code owner/repo} path.
   *
   * @throws IOException when a file that is there cannot be read
   */
  public static Optional<String> originRepository(Path checkout) throws IOException {
    Objects.requireNonNull(checkout, "checkout");
    Optional<Path> config = configFile(checkout);
    if (config.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> url = originUrl(read(config.get()));
    if (url.isEmpty()) {
      LOG.debug("{} has no url for remote origin", config.get());
      return Optional.empty();
    }
    Optional<String> repository = repositoryOf(url.get());
    if (repository.isEmpty()) {
      LOG.info("The origin URL in {} does not name an owner/repo; it is not used as the update "
          + "source", config.get());
    }
    return repository;
  }

  /** The {@code owner/repo} path of a remote URL, without {@code .git}; empty if it has none. */
  public static Optional<String> repositoryOf(String url) {
    String u = url.strip();
    String path;
    if (u.contains("://")) {
      try {
        URI uri = new URI(u);
        if (uri.getHost() == null || uri.getPath() == null) {
          return Optional.empty();
        }
        path = uri.getPath();
      } catch (URISyntaxException e) {
        return Optional.empty();
      }
    } else {
      Matcher m = SCP_LIKE.matcher(u);
      if (!m.matches()) {
        return Optional.empty();
      }
      path = m.group(1);
    }
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.toLowerCase(Locale.ROOT).endsWith(".git")) {
      path = path.substring(0, path.length() - 4);
    }
    String[] parts = path.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(path);
  }

  /** The value of {@code url} in section {@code [remote "origin"]} of a Git config text. */
  static Optional<String> originUrl(String config) {
    boolean inOrigin = false;
    String url = null;
    for (String raw : config.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        Matcher m = SECTION.matcher(line);
        inOrigin = m.matches() && m.group(1).equalsIgnoreCase("remote")
            && "origin".equals(m.group(2));
        if (!inOrigin || m.group(3).isEmpty()) {
          continue;
        }
        line = m.group(3); // a key on the same line as its section header
      }
      if (!inOrigin) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0 || !line.substring(0, eq).strip().equalsIgnoreCase("url")) {
        continue;
      }
      url = value(line.substring(eq + 1)); // the last url wins, as for git's single-value read
    }
    return Optional.ofNullable(url).filter(u -> !u.isEmpty());
  }

  private static String value(String raw) {
    StringBuilder sb = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && i + 1 < raw.length()) {
        char next = raw.charAt(++i);
        sb.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
      } else if (!quoted && (c == '#' || c == ';')) {
        break;
      } else {
        sb.append(c);
      }
    }
    return sb.toString().strip();
  }

  private static Optional<Path> configFile(Path checkout) throws IOException {
    Path dotGit = checkout.resolve(".git");
    Path gitDir;
    if (Files.isDirectory(dotGit)) {
      gitDir = dotGit;
    } else if (Files.isRegularFile(dotGit)) {
      String text = read(dotGit).strip();
      if (!text.startsWith("gitdir:")) {
        LOG.info("{} is neither a directory nor a 'gitdir:' file", dotGit);
        return Optional.empty();
      }
      gitDir = checkout.resolve(text.substring("gitdir:".length()).strip());
      Path commonDir = gitDir.resolve("commondir");
      if (Files.isRegularFile(commonDir)) {
        gitDir = gitDir.resolve(read(commonDir).strip());
      }
    } else {
      return Optional.empty();
    }
    Path config = gitDir.resolve("config");
    return Files.isRegularFile(config) ? Optional.of(config) : Optional.empty();
  }

  private static String read(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
    }
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new IOException(file + " is larger than " + MAX_CONFIG_BYTES
          + " bytes: it is not a Git config file");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
