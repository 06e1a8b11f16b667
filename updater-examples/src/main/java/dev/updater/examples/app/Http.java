package dev.updater.examples.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Small helpers for the JDK {@code HttpServer} handlers of the example application. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();

  private Http() {}

  /** Sends {@code body} as JSON with {@code code} and closes the exchange. */
  static void json(HttpExchange exchange, int code, Object body) throws IOException {
    send(exchange, code, "application/json", JSON.writeValueAsBytes(body));
  }

  /** Sends {@code bytes} with {@code code} and {@code contentType} and closes the exchange. */
  static void send(HttpExchange exchange, int code, String contentType, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Answers 405 unless the request uses {@code method}; returns whether it does. */
  static boolean method(HttpExchange exchange, String method) throws IOException {
    if (exchange.getRequestMethod().equalsIgnoreCase(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", method);
    json(exchange, 405, Map.of("error", "use " + method));
    return false;
  }

  /** The request body read as a JSON object; empty when there is no body. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(64 * 1024);
      String text = new String(bytes, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? Map.of() : JSON.readValue(text, Map.class);
    }
  }

  /** True when the query string has {@code name=true}. */
  static boolean flag(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getQuery();
    if (query == null) {
      return false;
    }
    for (String pair : query.split("&")) {
      if (pair.equals(name + "=true") || pair.equals(name + "=1")) {
        return true;
      }
    }
    return false;
  }
}
