package dev.updater.core.internal.http;

import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests for one part of a file ({@code Range: bytes=<first>-<last>}), as a pack of objects is
 * read: a single range, which every static file host that serves ranges at all honours (several
 * ranges in one request are not universal). The answers: 206 with a {@code Content-Range} that
 * covers the part (its body guarded and limited to the part); 200, from a server that ignores
 * {@code Range}, returned from byte 0 as such ({@link ReleaseSource.Opened#offset()} 0) for the
 * caller to decide; 416 (the file is shorter than the part) a {@link VerificationException}; 404
 * or 410 a {@link java.nio.file.NoSuchFileException}. Failures before the body are retried like
 * any request. Not API.
 *
 * <p>Stateless and thread-safe.
 */
final class PartRequests {
  private static final Logger LOG = LoggerFactory.getLogger(PartRequests.class);
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);

  private PartRequests() {}

  static ReleaseSource.Opened open(HttpTransport transport, Credentials credentials, URI uri,
      long offset, long length, long fileSize, String what) throws IOException {
    if (offset < 0 || length < 1 || offset + length > fileSize) {
      throw new IllegalArgumentException("bytes " + offset + " to " + (offset + length - 1)
          + " are not inside the " + fileSize + " bytes of " + what);
    }
    long last = offset + length - 1;
    HttpResponse<InputStream> response = transport.withRetries(uri, what, () -> {
      HttpResponse<InputStream> r = transport.send(uri,
          Optional.of("bytes=" + offset + "-" + last), Optional.empty(), what);
      int status = r.statusCode();
      if (status == 200 || status == 206) {
        return r;
      }
      r.body().close();
      if (status == 416) {
        throw new VerificationException(what + ": the server cannot send bytes " + offset + "-"
            + last + " (416, Content-Range '" + r.headers().firstValue("Content-Range")
            .orElse("") + "'): its file is shorter than the " + fileSize + " bytes listed");
      }
      throw HttpErrors.unexpected(r, what, credentials);
    });
    InputStream body = response.body();
    if (response.statusCode() == 200) {
      LOG.info("{}: the server ignored the Range request for bytes {}-{} and sends the whole "
          + "file", what, offset, last);
      return new ReleaseSource.Opened(transport.guard(body, what, fileSize + 1), 0,
          Optional.empty());
    }
    String range = response.headers().firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(range.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) != offset
        || Long.parseLong(m.group(2)) < last) {
      body.close();
      throw new VerificationException(what + ": asked for bytes " + offset + "-" + last
          + " but the server answered 206 with Content-Range '" + range + "'");
    }
    return new ReleaseSource.Opened(transport.guard(body, what, length), offset,
        Optional.empty());
  }
}
