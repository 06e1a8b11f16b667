package dev.updater.spring.boot;

import dev.updater.core.Layout;
import dev.updater.core.UpdateListener;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.activate.SymlinkActivator;
import dev.updater.core.confirm.HttpHealthCheck;
import dev.updater.core.source.ReleaseSources;
import dev.updater.core.spi.Activator;
import dev.updater.core.spi.HealthCheck;
import dev.updater.core.spi.LockStore;
import dev.updater.core.spi.MigrationGuard;
import dev.updater.core.spi.MigrationRunner;
import dev.updater.core.spi.ReleaseGate;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.Restarter;
import dev.updater.core.spi.Stager;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Builds the {@link Updater} of the auto-configuration: the {@code updater.*} properties first,
 * then the application's beans of the ports, which win over the properties that would make the
 * same part, then the {@link UpdaterBuilderCustomizer}s in their order.
 *
 * <p>Every mistake in the properties fails with an {@link IllegalStateException} naming the
 * property, its value and what to give instead, before anything on disk is touched.
 *
 * <p>Not thread-safe; used once per application context.
 */
final class UpdaterFactory {
  private final UpdaterProperties properties;
  private final ObjectProvider<ReleaseSource> source;
  private final ObjectProvider<Activator> activator;
  private final ObjectProvider<HealthCheck> healthCheck;
  private final Beans beans;

  /** The beans of the ports the properties do not describe, each taken as it is. */
  record Beans(ObjectProvider<Restarter> restarter, ObjectProvider<MigrationRunner> migrations,
      ObjectProvider<MigrationGuard> guards, ObjectProvider<ReleaseGate> gates,
      ObjectProvider<UpdateListener> listeners, ObjectProvider<LockStore> lockStore,
      ObjectProvider<Stager> stager, ObjectProvider<UpdaterBuilderCustomizer> customizers,
      Optional<String> buildVersion) {}

  UpdaterFactory(UpdaterProperties properties, ObjectProvider<ReleaseSource> source,
      ObjectProvider<Activator> activator, ObjectProvider<HealthCheck> healthCheck, Beans beans) {
    this.properties = properties;
    this.source = source;
    this.activator = activator;
    this.healthCheck = healthCheck;
    this.beans = beans;
  }

  Updater build() {
    Path home = properties.getHome().toAbsolutePath().normalize();
    Updater.Builder builder = Updater.builder().home(home)
        .source(source.getIfAvailable(this::sourceFromProperties))
        .activator(activator.getIfAvailable(() -> activatorFromProperties(home)));
    Optional.ofNullable(healthCheck.getIfAvailable(this::healthCheckFromProperties))
        .ifPresent(builder::healthCheck);
    setProperties(builder);
    beans.restarter().ifAvailable(builder::restarter);
    beans.migrations().ifAvailable(builder::migrationRunner);
    beans.guards().orderedStream().forEach(builder::guard);
    beans.gates().orderedStream().forEach(builder::gate);
    beans.listeners().orderedStream().forEach(builder::listener);
    beans.lockStore().ifAvailable(builder::lockStore);
    beans.stager().ifAvailable(builder::stager);
    beans.customizers().orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  private void setProperties(Updater.Builder builder) {
    set("updater.channel", properties.getChannel(), builder::channel);
    set("updater.application", properties.getApplication(), builder::application);
    set("updater.mode", properties.getMode(), builder::mode);
    set("updater.confirmation-timeout", properties.getConfirmationTimeout(),
        builder::confirmationTimeout);
    set("updater.max-unconfirmed-starts", properties.getMaxUnconfirmedStarts(),
        builder::maxUnconfirmedStarts);
    set("updater.check-cache-ttl", properties.getCheckCacheTtl(), builder::checkCacheTtl);
    builder.requireExpiry(properties.isRequireExpiry());
    Optional<String> version = Optional.ofNullable(properties.getRunningVersion())
        .or(beans::buildVersion);
    set("updater.running-version", version.orElse(null),
        text -> builder.runningVersion(Version.parse(text)));
  }

  /** Applies {@code value} when it is set; a value the library refuses names its property. */
  static <T> void set(String property, T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw invalid(property, value, e.getMessage(), e);
    }
  }

  static IllegalStateException invalid(String property, Object value, String why, Exception e) {
    return new IllegalStateException(property + "=" + value + " is not valid: " + why, e);
  }

  private ReleaseSource sourceFromProperties() {
    String location = properties.getSource();
    if (location == null || location.isBlank()) {
      throw new IllegalStateException("updater.source is not set: give the update repository's"
          + " location (an https:// URL, a file: URI, a directory path or a github: location),"
          + " or define a ReleaseSource bean; or set updater.enabled=false");
    }
    TrustedKeys keys = trustedKeys();
    try {
      return ReleaseSources.open(ReleaseSources.location(location), keys);
    } catch (IllegalArgumentException e) {
      throw invalid("updater.source", location, e.getMessage(), e);
    }
  }

  /** The keys of {@code updater.trusted-key-files} and {@code updater.trusted-keys} together. */
  private TrustedKeys trustedKeys() {
    List<String> texts = new ArrayList<>();
    List<Path> files = properties.getTrustedKeyFiles();
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      try {
        TrustedKeys.read(file); // the library's checks of one file, with its messages
        texts.add(Files.readString(file));
      } catch (IOException | IllegalArgumentException e) {
        throw invalid("updater.trusted-key-files[" + i + "]", file,
            "cannot read a minisign public key from it (" + e.getMessage() + ")", e);
      }
    }
    List<String> given = properties.getTrustedKeys();
    for (int i = 0; i < given.size(); i++) {
      try {
        TrustedKeys.parse(given.get(i));
      } catch (IllegalArgumentException e) {
        throw invalid("updater.trusted-keys[" + i + "]", abbreviate(given.get(i)),
            e.getMessage(), e);
      }
    }
    texts.addAll(given);
    if (texts.isEmpty()) {
      throw new IllegalStateException("no trusted key is configured for updater.source="
          + properties.getSource() + ": set updater.trusted-key-files (minisign .pub files) or"
          + " updater.trusted-keys (their text), the public key that signs the repository;"
          + " or define a ReleaseSource bean");
    }
    try {
      return TrustedKeys.parse(texts);
    } catch (IllegalArgumentException e) {
      throw invalid("updater.trusted-key-files and updater.trusted-keys", texts.size() + " keys",
          e.getMessage(), e);
    }
  }

  private static String abbreviate(String key) {
    String line = key.strip().replace('\n', ' ');
    return line.length() <= 24 ? line : line.substring(0, 24) + "...";
  }

  private Activator activatorFromProperties(Path home) {
    SymlinkActivator.Builder b = SymlinkActivator.builder(Layout.of(home));
    set("updater.shared", properties.getShared(), paths -> b.shared(paths.toArray(String[]::new)));
    set("updater.keep", properties.getKeep(), b::keep);
    return b.build();
  }

  private HealthCheck healthCheckFromProperties() {
    if (properties.getHealthUrl() == null) {
      return null;
    }
    HttpHealthCheck.Builder b = HttpHealthCheck.builder(properties.getHealthUrl());
    set("updater.health-timeout", properties.getHealthTimeout(), b::timeout);
    return b.build();
  }
}
