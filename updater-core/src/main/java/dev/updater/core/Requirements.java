package dev.updater.core;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a release needs from the install it is applied to.
 *
 * <p>An empty {@code databaseProviders} set means the release runs on any database. Provider names
 * are compared case-insensitively and stored in lower case ({@code postgresql}, {@code sqlite},
 * {@code h2}, {@code mysql}, {@code mariadb}). {@code upgradesFrom} is the oldest installed version
 * the release can be applied over; older installs must step through an intermediate release first.
 *
 * <pre>{@code
 * Requirements r = new Requirements(Set.of("postgresql"), Optional.of(Version.parse("1.4.0")));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param databaseProviders providers the release supports; empty for any
 * @param upgradesFrom the oldest version this release can upgrade from, if limited
 */
public record Requirements(Set<String> databaseProviders, Optional<Version> upgradesFrom) {

  /** Requirements that every install meets. */
  public static final Requirements NONE = new Requirements(Set.of(), Optional.empty());

  public Requirements {
    Objects.requireNonNull(databaseProviders, "databaseProviders");
    Objects.requireNonNull(upgradesFrom, "upgradesFrom");
    TreeSet<String> lower = new TreeSet<>();
    for (String p : databaseProviders) {
      lower.add(Objects.requireNonNull(p, "database provider").toLowerCase(Locale.ROOT));
    }
    databaseProviders = Set.copyOf(lower);
  }

  /** True when a release with these requirements runs on {@code provider}. */
  public boolean supportsDatabase(String provider) {
    return databaseProviders.isEmpty()
        || databaseProviders.contains(provider.toLowerCase(Locale.ROOT));
  }

  /** True when a release with these requirements can be applied over {@code installed}. */
  public boolean canUpgradeFrom(Version installed) {
    return upgradesFrom.map(min -> !installed.isOlderThan(min)).orElse(true);
  }
}
