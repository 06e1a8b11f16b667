package dev.updater.jdbc;

import dev.updater.core.Release;
import dev.updater.core.Version;
import dev.updater.core.spi.IncompatibleReleaseException;
import dev.updater.core.spi.ReleaseGate;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a release whose requirements name database providers and leave out the one this install
 * runs on, before anything is downloaded (the pipeline reports it as {@link
 * dev.updater.core.UpdateException.Reason#INCOMPATIBLE}, a 409 for a web host). A release
 * that names no providers runs anywhere.
 *
 * <pre>{@code
 * Updater updater = Updater.builder()
 *     .home(home)
 *     .source(source)
 *     .gate(DatabaseCompatibilityGate.of(dataSource))   // or .of("postgresql")
 *     .build();
 * }</pre>
 *
 * <p>{@link #of(DataSource)} detects the provider at every check (one short connection), so a gate
 * can be built before the database is up; when it cannot connect, {@link #check} throws
 * {@link DatabaseUnavailableException} and the {@code CHECK} step fails, again before any download.
 *
 * <p>Immutable and thread-safe.
 */
public final class DatabaseCompatibilityGate implements ReleaseGate {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseCompatibilityGate.class);

  private final ProviderSupplier provider;
  private final String description;

  @FunctionalInterface
  private interface ProviderSupplier {
    DatabaseProvider get() throws DatabaseUnavailableException;
  }

  private DatabaseCompatibilityGate(ProviderSupplier provider, String description) {
    this.provider = provider;
    this.description = description;
  }

  /** A gate for the database behind {@code dataSource}, detected at each check. */
  public static DatabaseCompatibilityGate of(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    return new DatabaseCompatibilityGate(() -> DatabaseProvider.detect(dataSource),
        "the database of " + dataSource);
  }

  /** A gate for an install known to run on {@code provider}, such as {@code "sqlite"}. */
  public static DatabaseCompatibilityGate of(String provider) {
    return of(DatabaseProvider.of(provider));
  }

  /** A gate for an install known to run on {@code provider}. */
  public static DatabaseCompatibilityGate of(DatabaseProvider provider) {
    Objects.requireNonNull(provider, "provider");
    return new DatabaseCompatibilityGate(() -> provider, provider.name());
  }

  /**
   * The provider this install runs on, for a status page next to {@link #isCompatible}.
   *
   * @throws DatabaseUnavailableException when it must be detected and the database is unreachable
   */
  public DatabaseProvider provider() throws DatabaseUnavailableException {
    return provider.get();
  }

  /**
   * True when {@code release} can run on this install's database; what {@link #check} enforces.
   *
   * @throws DatabaseUnavailableException when the provider must be detected and cannot be
   */
  public boolean isCompatible(Release release) throws DatabaseUnavailableException {
    Objects.requireNonNull(release, "release");
    return release.requirements().supportsDatabase(provider.get().name());
  }

  /**
   * Returns when {@code release} supports this install's database.
   *
   * @throws IncompatibleReleaseException naming the release's providers and this one
   * @throws DatabaseUnavailableException when the provider must be detected and cannot be
   */
  @Override
  public void check(Release release, Optional<Version> installed)
      throws IncompatibleReleaseException, DatabaseUnavailableException {
    Objects.requireNonNull(release, "release");
    DatabaseProvider here = provider.get();
    if (!release.requirements().supportsDatabase(here.name())) {
      String needs = String.join(", ", new java.util.TreeSet<>(
          release.requirements().databaseProviders()));
      LOG.info("Refusing {}: it supports {} and this install runs on {}", release.version(), needs,
          here);
      throw new IncompatibleReleaseException(release.version() + " supports only the database"
          + " provider(s) " + needs + " but this install runs on " + here + "; stay on "
          + installed.map(Version::toString).orElse("the current release")
          + " or move the data to " + needs + " first");
    }
    LOG.debug("{} supports this install's database ({})", release.version(), here);
  }

  /**
   * The provider for the check report ({@code Updater.report()}): {@code database -> postgresql},
   * or {@code database -> unavailable: <why>} when it must be detected and the database cannot be
   * reached. Never throws.
   */
  @Override
  public java.util.Map<String, String> facts() {
    try {
      return java.util.Map.of("database", provider.get().name());
    } catch (DatabaseUnavailableException e) {
      return java.util.Map.of("database", "unavailable: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "DatabaseCompatibilityGate[" + description + "]";
  }
}
