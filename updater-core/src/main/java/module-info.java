/**
 * The updater: finds, verifies, stages, activates and confirms new releases of a host application,
 * and rolls back by itself when anything fails. {@link dev.updater.core.Updater} is where to start.
 *
 * <p>Exported: the API a host touches ({@code dev.updater.core}), the ports an integrator
 * implements ({@code spi}), and one package per capability with its public adapters ({@code
 * source}, {@code source.github}, {@code trust}, {@code stage}, {@code activate}, {@code confirm},
 * {@code repository}, {@code admin}), and {@code command}, the runner of external commands that
 * restarters, health checks, migrations and backups share. Nothing under {@code dev.updater.core.internal} is exported:
 * the engine and the workings the capabilities share may change in any release.
 */
module dev.updater.core {
  requires transitive org.slf4j;
  requires com.fasterxml.jackson.databind;
  requires org.apache.commons.compress;
  requires dev.failsafe.core;
  requires java.net.http;
  requires org.bouncycastle.provider;

  exports dev.updater.core;
  exports dev.updater.core.spi;
  exports dev.updater.core.source;
  exports dev.updater.core.source.github;
  exports dev.updater.core.trust;
  exports dev.updater.core.stage;
  exports dev.updater.core.activate;
  exports dev.updater.core.confirm;
  exports dev.updater.core.repository;
  exports dev.updater.core.admin;
  exports dev.updater.core.command;

  uses dev.updater.core.spi.ReleaseSourceProvider;
  provides dev.updater.core.spi.ReleaseSourceProvider with
      dev.updater.core.source.HttpSourceProvider,
      dev.updater.core.source.DirectorySourceProvider,
      dev.updater.core.source.github.GitHubSourceProvider;
}
