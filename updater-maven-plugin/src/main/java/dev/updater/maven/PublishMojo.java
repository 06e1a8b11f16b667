package dev.updater.maven;

import dev.updater.core.Artifact;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Version;
import dev.updater.core.repository.PublishRefusedException;
import dev.updater.core.repository.ReleasePublisher;
import dev.updater.core.repository.RepositoryWriter;
import dev.updater.core.spi.VerificationException;
import dev.updater.core.trust.SigningKey;
import java.io.File;
import java.io.IOException;
import java.util.Optional;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Publishes the build's artifact (the project's main artifact, or a file such as the assembly's
 * {@code tar.gz}) as a release into a static update repository directory, signed, the same way
 * {@code updater publish} does: the per-file manifest and objects and the artifact first, the
 * channel's signed index last. Every refusal (a signed channel without its key, another key, a
 * published version with other bytes, an archive installs would refuse) fails the build before
 * anything is written, so the repository stays as it was.
 *
 * <pre>
 * mvn package dev.updater:updater-maven-plugin:publish -Dupdater.repository=repo \
 *     -Dupdater.key=keys/updater.key -Dupdater.artifact=target/myapp-1.2.0.tar.gz
 * </pre>
 *
 * <p>Maven runs one instance per execution; not shared between threads.
 */
@Mojo(name = "publish", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class PublishMojo extends AbstractMojo {
  /** The update repository directory (created if missing). */
  @Parameter(property = "updater.repository", required = true)
  private File repository;

  /** The secret key file from the goal keygen ({@code updater.key}). */
  @Parameter(property = "updater.key")
  private File key;

  /** The name of an environment variable holding the secret key's contents, instead of a file. */
  @Parameter(property = "updater.keyEnv")
  private String keyEnv;

  /** The file to publish; the project's main artifact unless set. */
  @Parameter(property = "updater.artifact", defaultValue = "${project.artifact.file}")
  private File artifact;

  /** The release version (Semantic Versioning). */
  @Parameter(property = "updater.version", defaultValue = "${project.version}", required = true)
  private String version;

  /** The channel. */
  @Parameter(property = "updater.channel", defaultValue = "stable")
  private String channel;

  /** Release notes. */
  @Parameter(property = "updater.notes", defaultValue = "")
  private String notes;

  /** The percentage of installs the release is offered to (0 halts it); 100 for a new release. */
  @Parameter(property = "updater.rollout")
  private Integer rollout;

  /** The application named by a new index; the repository directory's name unless set. */
  @Parameter(property = "updater.application")
  private String application;

  /** Skips the goal. */
  @Parameter(property = "updater.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("updater: publish skipped (updater.skip)");
      return;
    }
    Optional<SigningKey> signingKey = Keys.load(key, keyEnv, System::getenv);
    ReleasePublisher publisher = publisher(signingKey);
    ReleasePublisher.Published published;
    try {
      published = publisher.publish();
    } catch (PublishRefusedException e) {
      throw new MojoFailureException(refusal(e), e);
    } catch (VerificationException e) {
      throw new MojoFailureException(e.getMessage() + "; it is not a valid index: repair it, or "
          + "move it away to start the channel afresh", e);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot publish " + artifact + " into " + repository + ": "
          + e + "; check that the artifact is complete and the repository writable", e);
    }
    report(published, signingKey);
  }

  private ReleasePublisher publisher(Optional<SigningKey> signingKey)
      throws MojoFailureException {
    if (artifact == null || !artifact.isFile()) {
      throw new MojoFailureException(artifact == null
          ? "the project has no artifact to publish; run the goal after package, or set "
              + "updater.artifact to the file (such as target/myapp-1.2.0.tar.gz)"
          : "updater.artifact " + artifact + " is not a file; build it first, or correct the "
              + "path");
    }
    try {
      ReleasePublisher.Builder builder = ReleasePublisher
          .builder(repository.toPath(), Version.parse(version))
          .channel(channel)
          .artifact(artifact.toPath())
          .notes(notes == null ? "" : notes);
      signingKey.ifPresent(builder::key);
      if (rollout != null) {
        builder.rollout(rollout);
      }
      if (application != null && !application.isBlank()) {
        builder.application(application);
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("cannot publish " + version + ": " + e.getMessage(), e);
    }
  }

  /** The refusal's message, with the parameter that changes it where there is one. */
  private static String refusal(PublishRefusedException e) {
    switch (e.reason()) {
      case KEY_REQUIRED:
        return e.getMessage() + " (-Dupdater.key=FILE or -Dupdater.keyEnv=VARIABLE)";
      case INDEX_NOT_VERIFIED:
        return e.getMessage() + " (updater.key names the key)";
      case VERSION_EXISTS:
        return e.getMessage() + " (-Dupdater.version=V names the version)";
      default:
        return e.getMessage();
    }
  }

  private void report(ReleasePublisher.Published published, Optional<SigningKey> signingKey) {
    ReleaseIndex index = published.index();
    getLog().info("updater: published " + published.release().version() + " on channel "
        + index.channel() + " of " + index.application() + " (serial " + index.serial()
        + ", index expires " + index.expires().orElseThrow() + ")");
    for (Artifact a : published.release().artifacts()) {
      getLog().info("  " + a.location() + "  " + a.size() + " bytes  sha256 " + a.sha256());
    }
    published.tree().ifPresent(t -> getLog().info("  " + t.manifest().location() + "  "
        + t.files() + " files, " + t.newObjects() + " new object(s), " + t.newPages() + " of "
        + t.pages() + " manifest page(s) new"));
    RepositoryWriter writer = RepositoryWriter.unsigned(repository.toPath());
    if (signingKey.isPresent()) {
      getLog().info("  signed " + writer.signatureFile(index.channel()) + " with key "
          + signingKey.get().keyId());
    } else {
      getLog().warn("updater: " + writer.indexFile(index.channel()) + " is not signed; installs "
          + "must then skip signature checks. Create a key with the goal keygen and publish "
          + "with -Dupdater.key=FILE to sign it.");
    }
  }
}
