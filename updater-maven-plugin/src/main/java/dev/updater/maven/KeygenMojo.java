package dev.updater.maven;

import dev.updater.core.trust.SigningKey;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Creates a signing key pair, as {@code updater keygen} does: {@code <out>/updater.key} (the
 * secret key, readable by its owner only; keep it out of version control) and {@code
 * <out>/updater.pub} (the public key installs trust). Never overwrites a key.
 *
 * <pre>
 * mvn dev.updater:updater-maven-plugin:keygen -Dupdater.out=keys
 * </pre>
 *
 * <p>Maven runs one instance per execution; not shared between threads.
 */
@Mojo(name = "keygen", requiresProject = false, threadSafe = true)
public final class KeygenMojo extends AbstractMojo {
  /** The directory to write the key pair to (created if missing). */
  @Parameter(property = "updater.out", required = true)
  private File out;

  /** The base name of the two files. */
  @Parameter(property = "updater.keyName", defaultValue = "updater")
  private String name;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new MojoFailureException("updater.keyName '" + name + "' must be a plain file name: "
          + "a letter or digit, then letters, digits, '.', '_' or '-'");
    }
    Path secret = out.toPath().resolve(name + ".key");
    Path pub = out.toPath().resolve(name + ".pub");
    SigningKey key = SigningKey.generate();
    try {
      Files.createDirectories(out.toPath());
      key.writeTo(secret, pub);
    } catch (FileAlreadyExistsException e) {
      throw new MojoFailureException(e.getFile() + " already exists; a key is never overwritten: "
          + "choose another updater.out or updater.keyName, or move the old key away first", e);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the key pair into " + out + ": " + e, e);
    }
    getLog().info("updater: key id " + key.keyId());
    getLog().info("  secret key: " + secret + " (keep it private; publish reads it through "
        + "updater.key or updater.keyEnv)");
    getLog().info("  public key: " + pub + " (give it to installs, which trust it)");
  }
}
