package dev.updater.core.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Sends one GET and gives its answer, never following a redirect itself ({@link HttpTransport}
 * follows them by its own rules). Not API.
 *
 * <p>The library's own exchange is {@link UrlConnectionExchange}: on a fast network the JDK's
 * {@code HttpClient} spends about five times the CPU of {@code HttpURLConnection} on a large body,
 * because it reads 16 KB at a time and hands every buffer from its selector thread to the reader,
 * and it keeps a selector thread alive that a host JVM waits for when it exits. A client that the
 * host application supplies is used as it is.
 *
 * <p>Implementations are thread-safe.
 */
public interface Exchange {
  /**
   * Sends {@code request} (a GET) and returns as soon as the status and headers are in; the body
   * is read from the answer and must be closed.
   *
   * @throws IOException when the request cannot be sent or no answer arrives in time
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException;

  /** This exchange, with any redirect returned to the caller rather than followed. */
  Exchange withoutRedirects();

  /**
   * The library's own exchange: {@code connectTimeout} to open a connection, {@code sslContext}
   * for https (null for the JVM's default).
   */
  static Exchange ofUrlConnections(Duration connectTimeout, SSLContext sslContext) {
    return new UrlConnectionExchange(connectTimeout, sslContext);
  }

  /** An exchange through {@code client}, with the redirect policy and settings it has. */
  static Exchange ofClient(HttpClient client) {
    return new ClientExchange(client);
  }

  /** Requests sent through a supplied {@link HttpClient}. */
  record ClientExchange(HttpClient client) implements Exchange {
    @Override
    public HttpResponse<InputStream> send(HttpRequest request)
        throws IOException, InterruptedException {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A client with the settings of this one that never follows a redirect. */
    @Override
    public Exchange withoutRedirects() {
      if (client.followRedirects() == HttpClient.Redirect.NEVER) {
        return this;
      }
      HttpClient.Builder copy = HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(client.version())
          .sslContext(client.sslContext())
          .sslParameters(client.sslParameters());
      client.proxy().ifPresent(copy::proxy);
      client.authenticator().ifPresent(copy::authenticator);
      client.connectTimeout().ifPresent(copy::connectTimeout);
      client.cookieHandler().ifPresent(copy::cookieHandler);
      client.executor().ifPresent(copy::executor);
      return new ClientExchange(copy.build());
    }
  }
}
