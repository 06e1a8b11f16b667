package dev.updater.cli;

import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.source.HttpSourceException;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** The source checks of {@code updater doctor}: the repository, its index and the clock. */
final class DoctorSource {
  private DoctorSource() {}

  /** How far the clock may differ from the server's or the metadata's times. */
  static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

  /** Checks that the source serves a valid index of the channel; the index when it does. */
  static Optional<ReleaseIndex> check(String argument, ReleaseSource source,
      boolean signed, String channel, Env env, DoctorReport report) {
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
          "check that --trust names the publisher's current public key (or --trust-root its "
              + "root key); if it does, the repository was changed after signing or signed by "
              + "another key: the publisher re-publishes to re-sign it");
      return Optional.empty();
    } catch (NoSuchFileException e) {
      report.fail("source", source.describe() + " does not publish channel " + channel,
          "check --source and --channel against the repository's channels/ directory");
      return Optional.empty();
    } catch (HttpSourceException e) {
      report.fail("source", e.getMessage(), httpAdvice(e.kind()));
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

  /** What to do about a failure of an HTTP source, by its kind. */
  private static String httpAdvice(HttpSourceException.Kind kind) {
    switch (kind) {
      case UNAUTHORIZED:
      case FORBIDDEN:
        return "set UPDATER_HTTP_AUTHORIZATION to the Authorization header's value the "
            + "repository accepts, such as 'Bearer <token>'";
      case UNTRUSTED_CERTIFICATE:
      case HOST_NAME_MISMATCH:
      case TLS_FAILURE:
        return "for a private certificate authority set UPDATER_HTTP_TRUST_STORE (and "
            + "UPDATER_HTTP_TRUST_STORE_PASSWORD) to a trust store holding its certificate; "
            + "use the host name the certificate names";
      default:
        return "check the host name and port in --source, DNS, the proxy and the firewall, and "
            + "that the update server runs";
    }
  }

  /** GETs the channel index to tell "unreachable" from "invalid", and compares the Date header. */
  private static boolean httpReachable(String base, String channel, Env env, DoctorReport report) {
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
    } catch (SSLException e) {
      return true; // the source, with its configured trust store, decides (and says why)
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
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      return true; // a private repository: the source sends the configured credentials
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

  /**
   * Clock skew against the signed times: the index must not have expired, nor come from the
   * future.
   */
  private static void metadataTimes(ReleaseIndex index, Env env, DoctorReport report) {
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
}
