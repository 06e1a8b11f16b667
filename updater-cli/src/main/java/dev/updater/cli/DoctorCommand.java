package dev.updater.cli;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import dev.updater.jdbc.DatabaseProvider;
import dev.updater.jdbc.DatabaseUnavailableException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code updater doctor}: narrows a failure to the layout of the home, the database, or the update
 * source, one line per check, each {@code OK} or {@code FAIL} with what to do. Changes nothing.
 */
final class DoctorCommand implements Command {
  /** How far the clock may differ from the server's or the metadata's times. */
  static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "doctor";
  }

  @Override
  public String summary() {
    return "check the home, the database and the source; one OK or FAIL line each";
  }

  @Override
  public String usage() {
    return "updater doctor --home DIR [--source SOURCE (--trust PUBFILE... | --unsigned)] "
        + "[--channel NAME] [--application NAME] [--jdbc-url URL [--jdbc-user USER] "
        + "[--jdbc-password-env VAR]]";
  }

  @Override
  public String help() {
    return String.join("\n",
        "  --home DIR              the install's home: releases/, current, .updater/",
        "  --source SOURCE         the update repository to check (URL or directory)",
        "  --trust PUBFILE         the publisher's public key; repeat for several",
        "  --unsigned              check the source without a signature",
        "  --channel NAME          the channel (default: stable)",
        "  --jdbc-url URL          the install's database (jdbc:postgresql://... or",
        "                          jdbc:sqlite:FILE); the drivers of both are bundled",
        "  --jdbc-user USER        the database user",
        "  --jdbc-password-env VAR the environment variable holding the database password",
        "Exit code 0 when every line is OK, 1 when any is FAIL. Changes nothing.");
  }

  @Override
  public Set<String> valued() {
    return CheckCommand.with(Installs.SOURCE_OPTIONS, "--jdbc-url", "--jdbc-user",
        "--jdbc-password-env");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--unsigned");
  }

  @Override
  public int run(Args args, Env env) throws CliException {
    Path home = Installs.home(args);
    Report report = new Report(env.out());
    if (args.value("--jdbc-user").isPresent() || args.value("--jdbc-password-env").isPresent()) {
      args.required("--jdbc-url", "URL: the database the user and password are for");
    }
    // Read the arguments before any check, so that a usage error is not half a report.
    Optional<ReleaseSource> source = args.value("--source").isPresent()
        ? Optional.of(Installs.source(args)) : Optional.empty();
    String channel = args.value("--channel").orElse("stable");

    layout(home, env, report);
    Optional<ReleaseIndex> index = Optional.empty();
    if (source.isPresent()) {
      index = source(args.value("--source").get(), source.get(), !args.flag("--unsigned"),
          channel, env, report);
    }
    Optional<String> application = args.value("--application");
    if (index.isPresent() && application.isPresent()
        && !index.get().application().equals(application.get())) {
      report.fail("source", "the index is published for the application '"
          + index.get().application() + "', not '" + application.get() + "'",
          "check that --source names this application's repository; 'updater check' and "
              + "'install' with --application refuse it");
      index = Optional.empty();
    }
    if (args.value("--jdbc-url").isPresent()) {
      database(args, index, report);
    }

    List<String> skipped = new ArrayList<>();
    if (source.isEmpty()) {
      skipped.add("source (give --source and --trust)");
    }
    if (args.value("--jdbc-url").isEmpty()) {
      skipped.add("database (give --jdbc-url)");
    }
    env.out().println(report.failures == 0
        ? "doctor: all " + report.checks + " checks OK"
        : "doctor: " + report.failures + " of " + report.checks + " checks FAIL");
    if (!skipped.isEmpty()) {
      env.out().println("not checked: " + String.join(", ", skipped));
    }
    return report.failures == 0 ? Exit.OK : Exit.FAILED;
  }

  // ---- layout ----

  private static void layout(Path home, Env env, Report report) {
    Layout layout = Layout.of(home);
    if (!Files.isDirectory(home)) {
      report.fail("layout", "home " + home + " is not a directory",
          "give the home of an install with --home, or create one with 'updater install --home "
              + home + " --source URI --trust PUBFILE'");
      return;
    }
    report.ok("layout", "home " + home + " exists");
    currentLink(layout, report);
    stateDirectory(layout, report);
    freeSpace(home, report);
    journal(home, env, report);
  }

  private static void currentLink(Layout layout, Report report) {
    Path current = layout.current();
    List<String> releases = releaseNames(layout);
    String relink = releases.isEmpty()
        ? "install a release with 'updater install --home " + layout.home() + " --source URI "
            + "--trust PUBFILE'"
        : "point it at the release that ran: ln -sfn releases/" + releases.get(releases.size() - 1)
            + " " + current + " (releases present: " + String.join(", ", releases) + "), then "
            + "run 'updater install --repair --home " + layout.home() + "'";
    if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
      report.fail("layout", "the 'current' link " + current + " is missing: no release is live",
          relink);
      return;
    }
    if (!Files.isSymbolicLink(current)) {
      report.fail("layout", current + " is not a symbolic link",
          "move it away and " + relink);
      return;
    }
    Path target;
    try {
      target = Files.readSymbolicLink(current);
    } catch (IOException e) {
      report.fail("layout", "cannot read the link " + current + ": " + e, "check its permissions");
      return;
    }
    Path resolved = current.getParent().resolve(target).normalize();
    Path releasesDir = layout.releases().normalize();
    if (!resolved.startsWith(releasesDir) || resolved.equals(releasesDir)
        || !resolved.getParent().equals(releasesDir)) {
      report.fail("layout", "'current' points to " + target + ", not to a release in "
          + layout.releases(), relink);
    } else if (!Files.isDirectory(resolved)) {
      report.fail("layout", "'current' points to " + target + ", which does not exist", relink);
    } else {
      report.ok("layout", "'current' -> " + target);
    }
  }

  private static List<String> releaseNames(Layout layout) {
    if (!Files.isDirectory(layout.releases())) {
      return List.of();
    }
    List<Version> versions = new ArrayList<>();
    try (Stream<Path> list = Files.list(layout.releases())) {
      list.filter(Files::isDirectory).forEach(p -> {
        try {
          versions.add(Version.parse(p.getFileName().toString()));
        } catch (IllegalArgumentException ignored) {
          // not a release directory (a staging leftover, say)
        }
      });
    } catch (IOException e) {
      return List.of();
    }
    versions.sort(null);
    return versions.stream().map(Version::toString).toList();
  }

  private static void stateDirectory(Layout layout, Report report) {
    Path state = layout.state();
    if (!Files.isDirectory(state)) {
      report.fail("layout", "the state directory " + state + " is missing: the journal, lock "
          + "and trust state live there",
          "install into this home with 'updater install' (it creates it), or give the right --home");
      return;
    }
    if (!Files.isWritable(state)) {
      report.fail("layout", state + " is not writable by this user",
          "run as the install's owner, or: chown -R <owner> " + state + " && chmod u+rwx " + state);
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(state);
      if (perms.contains(PosixFilePermission.OTHERS_WRITE)
          || perms.contains(PosixFilePermission.GROUP_WRITE)) {
        report.fail("layout", state + " is writable by group or others: they could change the "
            + "journal and the trust state", "chmod go-w " + state);
        return;
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: writability is all that can be checked
    }
    report.ok("layout", state + " is writable by this user only");
  }

  private static void freeSpace(Path home, Report report) {
    long need = Updater.Builder.DEFAULT_MIN_FREE_BYTES;
    try {
      long free = Files.getFileStore(home).getUsableSpace();
      if (free < need) {
        report.fail("layout", "only " + mb(free) + " free on the file system of " + home
            + "; an update needs at least " + mb(need) + " (and 3 times the artifact)",
            "free space there, for example by removing old releases/ directories other than the "
                + "live and the previous one");
      } else {
        report.ok("layout", mb(free) + " free on the file system of " + home);
      }
    } catch (IOException e) {
      report.fail("layout", "cannot read the free space of " + home + ": " + e,
          "check that the file system is mounted and readable");
    }
  }

  private static void journal(Path home, Env env, Report report) {
    UpdateStatus s;
    try {
      s = Installs.local(home, new Env(Report.NULL, Report.NULL, env.clock())).status();
    } catch (UpdateException e) {
      report.fail("layout", "the journal cannot be read: " + e.reason() + ": " + e.getMessage(),
          "see docs/activation-and-locking.md; 'updater install --repair --home " + home
              + "' rewrites it for the live release");
      return;
    }
    if (s.state() == UpdateStatus.State.FAILED && s.error().isPresent()) {
      UpdateStatus.Failure f = s.error().get();
      report.fail("layout", "the last operation failed: " + f.reason() + ": " + f.message(),
          "'updater rollback --home " + home + "' to go back"
              + (s.canRollBack() ? "" : " (no previous release is recorded)")
              + ", or 'updater clear-error --home " + home + "' once it is understood");
    } else {
      report.ok("layout", "journal: installed " + s.installed().map(Version::toString)
          .orElse("(none)") + ", state " + s.state().name().toLowerCase(Locale.ROOT));
    }
  }

  // ---- source ----

  private static Optional<ReleaseIndex> source(String argument, ReleaseSource source,
      boolean signed, String channel, Env env, Report report) {
    String lower = argument.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      if (!httpReachable(argument, channel, env, report)) {
        return Optional.empty();
      }
    }
    ReleaseIndex index;
    try {
      index = source.index(channel);
    } catch (VerificationException e) {
      report.fail("source", "the index of channel " + channel + " at " + source.describe()
          + " is not valid or not signed by a trusted key: " + e.getMessage(),
          "check that --trust names the publisher's current public key; if it does, the "
              + "repository was changed after signing or signed by another key: the publisher "
              + "re-publishes to re-sign it");
      return Optional.empty();
    } catch (NoSuchFileException e) {
      report.fail("source", source.describe() + " does not publish channel " + channel,
          "check --source and --channel against the repository's channels/ directory");
      return Optional.empty();
    } catch (IOException e) {
      report.fail("source", "cannot read " + source.describe() + ": " + e,
          "check that --source names the repository and that it is readable or reachable");
      return Optional.empty();
    }
    report.ok("source", "index of channel " + channel + ": serial " + index.serial() + ", "
        + index.releases().size() + " release(s), newest "
        + index.newest().map(r -> r.version().toString()).orElse("(none)")
        + (signed ? ", signed by a trusted key" : ", signature not checked (--unsigned)"));
    metadataTimes(index, env, report);
    return Optional.of(index);
  }

  /** GETs the channel index to tell "unreachable" from "invalid", and compares the Date header. */
  private static boolean httpReachable(String base, String channel, Env env, Report report) {
    URI uri;
    try {
      uri = new URI(base.endsWith("/") ? base : base + "/").resolve("channels/" + channel
          + ".json");
    } catch (URISyntaxException | IllegalArgumentException e) {
      report.fail("source", base + " is not a usable URL: " + e.getMessage(),
          "give the base URL of the repository, such as https://updates.example.com/myapp/");
      return false;
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpResponse<Void> response;
    try {
      response = client.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      report.fail("source", "cannot reach " + uri + ": " + e,
          "check the host name and port in --source, DNS, the proxy (-Dhttps.proxyHost) and the "
              + "firewall, and that the update server runs");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report.fail("source", "interrupted while reaching " + uri, "run doctor again");
      return false;
    }
    if (response.statusCode() / 100 != 2) {
      report.fail("source", uri + " answered HTTP " + response.statusCode(),
          response.statusCode() == 404
              ? "check --source and --channel: the server does not publish this channel there"
              : "check the server's configuration and logs");
      return false;
    }
    report.ok("source", uri + " is reachable (HTTP " + response.statusCode() + ")");
    Optional<String> date = response.headers().firstValue("Date");
    if (date.isPresent()) {
      try {
        Instant server = ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant();
        Duration skew = Duration.between(server, env.clock().instant()).abs();
        if (skew.compareTo(MAX_SKEW) > 0) {
          report.fail("clock", "this machine's clock (" + env.clock().instant() + ") differs from "
              + "the server's (" + server + ") by " + skew.toSeconds() + " s; signed metadata "
              + "would look expired or not yet published",
              "synchronise the clock: timedatectl set-ntp true (or chrony / ntpd)");
        } else {
          report.ok("clock", "within " + MAX_SKEW.toMinutes() + " minutes of the server's Date");
        }
      } catch (DateTimeParseException e) {
        // a malformed Date header says nothing about the clock; the metadata check follows
      }
    }
    return true;
  }

  /** Clock skew against the signed times: the index must not have expired, nor come from the future. */
  private static void metadataTimes(ReleaseIndex index, Env env, Report report) {
    Instant now = env.clock().instant();
    if (index.expires().isPresent() && !now.isBefore(index.expires().get())) {
      report.fail("clock", "the index expired at " + index.expires().get() + " (this machine "
          + "says " + now + "); installs refuse it",
          "if the clock is right, the publisher runs 'updater publish' again (it renews the "
              + "expiry); if not, synchronise the clock: timedatectl set-ntp true");
      return;
    }
    Optional<Instant> newest = index.releases().stream().map(Release::publishedAt)
        .flatMap(Optional::stream).max(Instant::compareTo);
    if (newest.isPresent() && newest.get().isAfter(now.plus(MAX_SKEW))) {
      report.fail("clock", "a release was published at " + newest.get() + ", later than this "
          + "machine's clock (" + now + "): the clock is behind",
          "synchronise the clock: timedatectl set-ntp true (or chrony / ntpd)");
      return;
    }
    report.ok("clock", now + " is within the index's times"
        + index.expires().map(e -> " (expires " + e + ")").orElse(""));
  }

  // ---- database ----

  private static void database(Args args, Optional<ReleaseIndex> index, Report report)
      throws CliException {
    String url = args.required("--jdbc-url", "URL: the database to check");
    Properties properties = new Properties();
    args.value("--jdbc-user").ifPresent(u -> properties.setProperty("user", u));
    Optional<String> passwordVar = args.value("--jdbc-password-env");
    if (passwordVar.isPresent()) {
      String password = System.getenv(passwordVar.get());
      if (password == null) {
        report.fail("database", "the environment variable " + passwordVar.get()
            + " (--jdbc-password-env) is not set", "export " + passwordVar.get()
            + "=<password> before running doctor");
        return;
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
        return;
      }
    }
    DriverDataSource dataSource = new DriverDataSource(url, properties);
    try (Connection c = dataSource.getConnection()) {
      report.ok("database", "connected to " + redact(url) + " ("
          + c.getMetaData().getDatabaseProductName() + " "
          + c.getMetaData().getDatabaseProductVersion() + ")");
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
    Optional<Release> newest = index.flatMap(ReleaseIndex::newest);
    if (newest.isPresent()) {
      Release r = newest.get();
      if (r.requirements().supportsDatabase(provider.name())) {
        report.ok("database", "the newest release " + r.version() + " supports "
            + provider.name());
      } else {
        report.fail("database", "the newest release " + r.version() + " supports only "
            + String.join(", ", r.requirements().databaseProviders()) + ", not "
            + provider.name() + ": installs refuse it as INCOMPATIBLE",
            "stay on the installed release, move the data to a supported database, or ask the "
                + "publisher for a release that supports " + provider.name());
      }
    }
  }

  /** The URL without a password given in it. */
  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String mb(long bytes) {
    return (bytes / (1024 * 1024)) + " MB";
  }

  /** Prints the lines and counts them. */
  private static final class Report {
    static final PrintStream NULL = new PrintStream(java.io.OutputStream.nullOutputStream());

    private final PrintStream out;
    int checks;
    int failures;

    Report(PrintStream out) {
      this.out = out;
    }

    void ok(String area, String what) {
      checks++;
      out.println("OK   " + area + ": " + what);
    }

    void fail(String area, String what, String fix) {
      checks++;
      failures++;
      out.println("FAIL " + area + ": " + what + "; fix: " + fix);
    }
  }
}
