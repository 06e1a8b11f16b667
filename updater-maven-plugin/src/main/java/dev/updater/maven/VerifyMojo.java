package dev.updater.maven;

import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.repository.RepositoryReader;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustedKeys;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks an update repository as an install would, before it is uploaded: each channel's index
 * verifies with the trusted key, has not expired and stays valid a while yet, and every file each
 * release names (artifacts, per-file manifest and its pages, the objects of the tree) is there
 * with its listed size and SHA-256. Fails the build naming the first problem.
 *
 * <pre>
 * mvn dev.updater:updater-maven-plugin:verify -Dupdater.repository=repo \
 *     -Dupdater.publicKey=keys/updater.pub
 * </pre>
 *
 * <p>Maven runs one instance per execution; not shared between threads.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false,
    threadSafe = true)
public final class VerifyMojo extends AbstractMojo {
  /** The update repository directory. */
  @Parameter(property = "updater.repository", required = true)
  private File repository;

  /** The public key installs trust ({@code updater.pub}). */
  @Parameter(property = "updater.publicKey")
  private File publicKey;

  /** Or the secret key file: its public half is trusted. */
  @Parameter(property = "updater.key")
  private File key;

  /** Or an environment variable holding the secret key: its public half is trusted. */
  @Parameter(property = "updater.keyEnv")
  private String keyEnv;

  /** Checks an unsigned repository: no key, and no signature is read. */
  @Parameter(property = "updater.unsigned", defaultValue = "false")
  private boolean unsigned;

  /** The channel to check; every channel of the repository unless set. */
  @Parameter(property = "updater.channel")
  private String channel;

  /** How many days each index must stay valid at least; an index closer to expiry fails. */
  @Parameter(property = "updater.minValidDays", defaultValue = "1")
  private int minValidDays;

  /** Skips the goal. */
  @Parameter(property = "updater.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("updater: verify skipped (updater.skip)");
      return;
    }
    RepositoryReader reader = reader();
    List<String> channels = channels();
    Instant now = Instant.now();
    int releases = 0;
    for (String name : channels) {
      try {
        ReleaseIndex index = reader.index(name);
        checkExpiry(index, now);
        for (Release release : index.releases()) {
          RepositoryReader.Verified v = reader.verify(release);
          getLog().info("  " + name + " " + release.version() + ": " + v.artifacts()
              + " artifact(s), " + v.pages() + " manifest page(s), " + v.objects()
              + " object(s) verified");
          releases++;
        }
      } catch (VerificationException e) {
        throw new MojoFailureException("updater: repository " + repository + ", channel " + name
            + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new MojoExecutionException("cannot read channel " + name + " of " + repository
            + ": " + e, e);
      }
    }
    getLog().info("updater: " + repository + " verified: " + channels.size() + " channel(s), "
        + releases + " release(s)" + (unsigned ? " (signatures not checked: updater.unsigned)"
            : ", every index signed by a trusted key"));
  }

  private RepositoryReader reader() throws MojoFailureException {
    Optional<SigningKey> secret = Keys.load(key, keyEnv, System::getenv);
    if (unsigned) {
      return RepositoryReader.unsigned(repository.toPath());
    }
    try {
      if (publicKey != null) {
        return RepositoryReader.signed(repository.toPath(), TrustedKeys.read(publicKey.toPath()));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new MojoFailureException("cannot read the public key " + publicKey
          + " (updater.publicKey): " + e.getMessage(), e);
    }
    if (secret.isPresent()) {
      return RepositoryReader.signed(repository.toPath(),
          TrustedKeys.parse(secret.get().publicKeyText()));
    }
    throw new MojoFailureException("no key to check the signatures with: set "
        + "updater.publicKey=FILE (the public key installs trust), updater.key or "
        + "updater.keyEnv, or updater.unsigned=true for a repository without signatures");
  }

  private List<String> channels() throws MojoFailureException, MojoExecutionException {
    if (channel != null && !channel.isBlank()) {
      if (!RepositoryWriter.isChannelName(channel)) {
        throw new MojoFailureException("updater.channel '" + channel + "' is not a channel name");
      }
      return List.of(channel);
    }
    Path dir = repository.toPath().resolve("channels");
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
            .map(n -> n.substring(0, n.length() - ".json".length()))
            .filter(RepositoryWriter::isChannelName).sorted().forEach(names::add);
      } catch (IOException e) {
        throw new MojoExecutionException("cannot list " + dir + ": " + e, e);
      }
    }
    if (names.isEmpty()) {
      throw new MojoFailureException("updater: " + repository + " has no channel (no "
          + "channels/<channel>.json); publish a release first, or correct updater.repository");
    }
    return names;
  }

  private void checkExpiry(ReleaseIndex index, Instant now) throws VerificationException {
    Optional<Instant> expires = index.expires();
    if (expires.isEmpty()) {
      getLog().warn("updater: the index of channel " + index.channel() + " never expires; "
          + "installs cannot tell a frozen copy from the current one");
      return;
    }
    if (!expires.get().isAfter(now)) {
      throw new VerificationException("the index expired at " + expires.get() + "; publish "
          + "again (re-signing it with a fresh expiry) before uploading");
    }
    if (expires.get().isBefore(now.plus(Duration.ofDays(minValidDays)))) {
      throw new VerificationException("the index expires at " + expires.get() + ", in less than "
          + minValidDays + " day(s) (updater.minValidDays); publish again to re-sign it with a "
          + "fresh expiry before uploading");
    }
  }
}
