package dev.updater.cli;

import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.jdbc.DatabaseProvider;
import dev.updater.jdbc.DatabaseUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/** The database checks of {@code updater doctor}. */
final class DoctorDatabase {
  private DoctorDatabase() {}

  /** Connects to the database, names its provider and checks the newest release supports it. */
  static void check(Args args, Optional<ReleaseIndex> index, DoctorReport report)
      throws CliException {
    String url = args.required("--jdbc-url", "URL: the database to check");
    Optional<Properties> properties = properties(args, url, report);
    if (properties.isEmpty()) {
      return;
    }
    DriverDataSource dataSource = new DriverDataSource(url, properties.get());
    if (!connects(dataSource, url, report)) {
      return;
    }
    DatabaseProvider provider;
    try {
      provider = DatabaseProvider.detect(dataSource);
    } catch (DatabaseUnavailableException e) {
      report.fail("database", "cannot tell which database this is: " + e.getMessage(),
          "check that the user may read the database's metadata");
      return;
    }
    report.ok("database", "provider " + provider.name());
    index.flatMap(ReleaseIndex::newest).ifPresent(r -> supports(r, provider, report));
  }

  /**
   * The connection properties (user, password, timeouts); empty, with a failed line, when the
   * password variable is not set or the SQLite file does not exist.
   */
  private static Optional<Properties> properties(Args args, String url, DoctorReport report)
      throws CliException {
    Properties properties = new Properties();
    args.value("--jdbc-user").ifPresent(u -> properties.setProperty("user", u));
    Optional<String> passwordVar = args.value("--jdbc-password-env");
    if (passwordVar.isPresent()) {
      String password = System.getenv(passwordVar.get());
      if (password == null) {
        report.fail("database", "the environment variable " + passwordVar.get()
            + " (--jdbc-password-env) is not set", "export " + passwordVar.get()
            + "=<password> before running doctor");
        return Optional.empty();
      }
      properties.setProperty("password", password);
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql:")) {
      properties.setProperty("connectTimeout", "10");
      properties.setProperty("loginTimeout", "10");
      properties.setProperty("socketTimeout", "30");
    } else if (lower.startsWith("jdbc:sqlite:")) {
      String file = url.substring("jdbc:sqlite:".length());
      int query = file.indexOf('?');
      file = query < 0 ? file : file.substring(0, query);
      if (!file.isEmpty() && !file.startsWith(":") && !file.startsWith("file:")
          && !Files.isRegularFile(Path.of(file))) {
        report.fail("database", "the SQLite database " + file + " does not exist",
            "give the path of the application's database file in --jdbc-url jdbc:sqlite:FILE");
        return Optional.empty();
      }
    }
    return Optional.of(properties);
  }

  /** True when a connection opens; one line either way. */
  private static boolean connects(DriverDataSource dataSource, String url, DoctorReport report) {
    try (Connection c = dataSource.getConnection()) {
      report.ok("database", "connected to " + redact(url) + " ("
          + c.getMetaData().getDatabaseProductName() + " "
          + c.getMetaData().getDatabaseProductVersion() + ")");
      return true;
    } catch (SQLException e) {
      String what = e.getMessage() == null ? e.toString() : e.getMessage();
      boolean noDriver = "08001".equals(e.getSQLState()) && what.contains("No suitable driver");
      report.fail("database", "cannot connect to " + redact(url) + ": " + what,
          noDriver
              ? "the command bundles the PostgreSQL and SQLite drivers only; write the URL as "
                  + "jdbc:postgresql://HOST:PORT/DB or jdbc:sqlite:FILE"
              : "check that the database runs and accepts connections at this address "
                  + "(host, port, firewall), and the user (--jdbc-user) and password "
                  + "(--jdbc-password-env)");
      return false;
    }
  }

  private static void supports(Release r, DatabaseProvider provider, DoctorReport report) {
    if (r.requirements().supportsDatabase(provider.name())) {
      report.ok("database", "the newest release " + r.version() + " supports " + provider.name());
    } else {
      report.fail("database", "the newest release " + r.version() + " supports only "
          + String.join(", ", r.requirements().databaseProviders()) + ", not "
          + provider.name() + ": installs refuse it as INCOMPATIBLE",
          "stay on the installed release, move the data to a supported database, or ask the "
              + "publisher for a release that supports " + provider.name());
    }
  }

  /** The URL without a password given in it. */
  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
