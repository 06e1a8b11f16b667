package dev.updater.maven;

import dev.updater.core.trust.SigningKey;
import java.io.File;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.maven.plugin.MojoFailureException;

/**
 * Loads the secret key a goal was given: a file ({@code updater.key}) or the contents of an
 * environment variable ({@code updater.keyEnv}), which a CI job fills from its secrets. The key's
 * contents are never logged, nor put into a message.
 *
 * <p>Stateless and thread-safe.
 */
final class Keys {
  private Keys() {}

  /**
   * The key given by {@code file} or {@code envName}, if either is.
   *
   * @param env reads an environment variable (null when it is not set)
   * @throws MojoFailureException when both are given, or the key cannot be read
   */
  static Optional<SigningKey> load(File file, String envName, UnaryOperator<String> env)
      throws MojoFailureException {
    boolean hasEnv = envName != null && !envName.isBlank();
    if (file != null && hasEnv) {
      throw new MojoFailureException("give the key once: updater.key (a file) or updater.keyEnv "
          + "(an environment variable), not both");
    }
    if (file != null) {
      try {
        return Optional.of(SigningKey.load(file.toPath()));
      } catch (NoSuchFileException e) {
        throw new MojoFailureException("the key file " + file + " (updater.key) does not exist; "
            + "create a key pair with the goal keygen (-Dupdater.out=DIR) and pass "
            + "DIR/updater.key", e);
      } catch (IOException e) {
        throw new MojoFailureException("cannot read the key file " + file + " (updater.key): "
            + e, e);
      } catch (IllegalArgumentException e) {
        throw new MojoFailureException("updater.key: " + e.getMessage(), e);
      }
    }
    if (hasEnv) {
      String text = env.apply(envName);
      if (text == null || text.isBlank()) {
        throw new MojoFailureException("the environment variable " + envName + " (updater.keyEnv) "
            + "is not set or empty; set it to the contents of the secret key file");
      }
      try {
        return Optional.of(SigningKey.parse(text));
      } catch (IllegalArgumentException e) {
        throw new MojoFailureException("the environment variable " + envName
            + " (updater.keyEnv) does not hold an updater secret key: " + e.getMessage(), e);
      }
    }
    return Optional.empty();
  }
}
