package dev.updater.core.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Server certificates made in the test with the JDK's real {@code keytool}: a self-signed key pair
 * per host name in a PKCS12 key store, and a PKCS12 trust store holding the certificates to trust.
 * Test use only.
 */
final class Certificates {
  static final char[] PASSWORD = "changeit".toCharArray();

  private final Path dir;

  Certificates(Path dir) {
    this.dir = dir;
  }

  /**
   * Generates a self-signed key pair named {@code alias} whose subject alternative names are
   * {@code san} (keytool's form, such as {@code ip:127.0.0.1,dns:localhost}).
   *
   * @return its key store (PKCS12, password {@link #PASSWORD})
   */
  Path keyPair(String alias, String san) throws IOException, InterruptedException {
    Path store = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + alias, "-ext", "SAN=" + san, "-validity", "2",
        "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
    return store;
  }

  /**
   * A PKCS12 trust store (password {@link #PASSWORD}) holding the certificate of each key store in
   * {@code keyStores}, as {@code keytool -importcert} writes one.
   */
  Path trustStore(String name, Path... keyStores) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (Path keyStore : keyStores) {
      KeyStore keys = KeyStore.getInstance(keyStore.toFile(), PASSWORD);
      String alias = keys.aliases().nextElement();
      trust.setCertificateEntry(alias, keys.getCertificate(alias));
    }
    Path file = dir.resolve(name + ".p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      trust.store(out, PASSWORD);
    }
    return file;
  }

  /** The server side TLS context of a key store made by {@link #keyPair}. */
  static SSLContext serverContext(Path keyStore) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(keyStore.toFile(), PASSWORD);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
