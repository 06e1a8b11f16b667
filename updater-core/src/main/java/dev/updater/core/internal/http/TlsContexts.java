package dev.updater.core.internal.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS context of an HTTP source from a trust store file: a PKCS12 or JKS key store
 * whose certificates (trusted certificate entries, and the certificates of key entries) are the
 * only ones trusted. Not API.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * A TLS context that trusts the certificates of the key store {@code file} (PKCS12 or JKS,
   * detected from its content), opened with {@code password} (empty when it has none).
   *
   * @throws IllegalArgumentException when the file cannot be read, is not a key store, the
   *     password is wrong, or it holds no certificate; the message names the file
   */
  public static SSLContext trusting(Path file, char[] password) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    try {
      KeyStore store;
      try {
        store = KeyStore.getInstance(file.toFile(), password.length == 0 ? null : password);
      } catch (IOException | GeneralSecurityException e) {
        // KeyStore.getInstance(File) needs a readable regular file; say which problem it was
        if (!Files.isRegularFile(file)) {
          throw new IllegalArgumentException("trust store " + file + " is not a readable file");
        }
        throw new IllegalArgumentException("trust store " + file + " cannot be opened as a "
            + "PKCS12 or JKS key store (is the password right?): " + e.getMessage(), e);
      }
      if (store.size() == 0) {
        throw new IllegalArgumentException("trust store " + file + " holds no certificate");
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("trust store " + file + " cannot be used: "
          + e.getMessage(), e);
    }
  }
}
