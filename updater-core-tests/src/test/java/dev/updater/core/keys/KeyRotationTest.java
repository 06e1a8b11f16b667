package dev.updater.core.keys;

import static dev.updater.core.keys.KeyListFixture.offered;
import static dev.updater.core.keys.KeyListFixture.role;
import static dev.updater.core.keys.KeyListFixture.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.updater.core.UpdateException;
import dev.updater.core.Updater;
import dev.updater.core.source.HttpReleaseSource;
import dev.updater.core.source.InvalidSourceException;
import dev.updater.core.source.ReleaseSources;
import dev.updater.core.trust.KeyList;
import dev.updater.core.trust.SigningKey;
import dev.updater.core.trust.TrustRoot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key lists followed from a trust root on the real disk and over HTTP: a publishing key rotated
 * and revoked without reconfiguring the install, a root rotated (catalogue case 7), and the
 * refusals: a revoked key, a root key rotated out, a cut chain or replayed older list, an expired,
 * tampered, misnumbered or missing list. Every refusal leaves {@code trust.json} byte for byte as
 * it was and installs nothing.
 */
class KeyRotationTest {
  @TempDir Path tmp;
  KeyListFixture f;
  final SigningKey rootKey = SigningKey.generate();
  final SigningKey a = SigningKey.generate();
  final SigningKey b = SigningKey.generate();
  TrustRoot trustRoot;
  Updater updater;

  @BeforeEach
  void publishKeyListOneWithKeyA() throws IOException {
    f = new KeyListFixture(tmp);
    f.publish(KeyList.first(role(1, rootKey), role(1, a)), rootKey);
    f.index(a, 1, "1.0.0");
    trustRoot = root(1, rootKey);
    updater = f.updater(trustRoot);
  }

  @Test
  void shouldFollowARotationToKeyBAndRefuseKeyAAfterwards() throws IOException {
    assertThat(offered(updater)).isEqualTo("1.0.0");
    assertThat(new String(f.trust(), StandardCharsets.UTF_8)).contains("\"keyList\" : 1");

    f.publish(KeyList.first(role(1, rootKey), role(1, a)).next(role(1, rootKey), role(1, b)),
        rootKey);
    f.index(b, 2, "1.1.0");
    assertThat(offered(updater)).isEqualTo("1.1.0");
    assertThat(new String(f.trust(), StandardCharsets.UTF_8)).contains("\"keyList\" : 2");

    f.index(a, 3, "6.6.6");
    assertThat(f.refused(updater)).hasMessageContaining("signed by 0 of the publishing keys ["
        + b.keyId() + "] of keys/2.json, 1 is needed")
        .hasMessageContaining("is revoked");
  }

  @Test
  void shouldRefuseARevokedKeyEvenWithAHigherSerial() throws IOException {
    KeyList both = new KeyList(2, java.util.Optional.empty(), role(1, rootKey), role(1, a, b),
        java.util.Optional.empty());
    f.publish(both, rootKey);
    f.index(a, 2, "1.1.0");
    assertThat(offered(updater)).isEqualTo("1.1.0");
    f.publish(both.next(role(1, rootKey), role(1, b)), rootKey); // revokes a
    f.index(a, 3, "1.2.0");

    assertThat(f.refused(updater)).hasMessageContaining("keys/3.json");
    f.index(b, 3, "1.2.0");
    assertThat(offered(updater)).isEqualTo("1.2.0");
  }

  @Test
  void rootRotationChain() throws IOException {
    SigningKey r2 = SigningKey.generate();
    KeyList one = KeyList.first(role(1, rootKey), role(1, a));
    KeyList two = one.next(role(1, r2), role(1, a));
    f.publish(two, rootKey, r2); // authorised by the old root, proven by the new one
    KeyList three = two.next(role(1, r2), role(1, b));
    f.publish(three, r2); // signed only by the new root
    f.index(b, 2, "1.1.0");

    assertThat(offered(updater)).isEqualTo("1.1.0"); // the install still trusts only rootKey
    assertThat(new String(f.trust(), StandardCharsets.UTF_8)).contains("\"keyList\" : 3");

    // rootKey was rotated out at keys/2.json: a list it alone signs is refused
    KeyList forged = three.next(role(1, rootKey), role(1, a));
    Files.write(f.file("keys/4.json"), forged.toJson());
    Files.writeString(f.file(KeyList.signaturePath("keys/4.json", rootKey.keyId())),
        rootKey.sign(forged.toJson(), "key list 4"));
    f.index(a, 3, "6.6.6");
    assertThat(f.refused(updater)).hasMessageContaining("keys/4.json is signed by 0 of the "
        + "root keys of keys/3.json [" + r2.keyId() + "], 1 is needed");
  }

  @Test
  void shouldRefuseAChainForkedByARootKeyRotatedOut() throws IOException {
    SigningKey r2 = SigningKey.generate();
    KeyList one = KeyList.first(role(1, rootKey), role(1, a));
    f.publish(one.next(role(1, r2), role(1, a)), rootKey, r2);
    f.index(a, 2, "1.1.0");
    assertThat(offered(updater)).isEqualTo("1.1.0");

    // rootKey leaked after it was rotated out: it signs another keys/2.json that keeps it as the
    // root, and a keys/3.json after it, with the attacker's publishing key
    SigningKey attacker = SigningKey.generate();
    KeyList fork = one.next(role(1, rootKey), role(1, attacker));
    Files.write(f.file("keys/2.json"), fork.toJson());
    Files.writeString(f.file(KeyList.signaturePath("keys/2.json", rootKey.keyId())),
        rootKey.sign(fork.toJson(), "key list 2"));
    KeyList forkThree = fork.next(role(1, rootKey), role(1, attacker));
    Files.write(f.file("keys/3.json"), forkThree.toJson());
    Files.writeString(f.file(KeyList.signaturePath("keys/3.json", rootKey.keyId())),
        rootKey.sign(forkThree.toJson(), "key list 3"));
    f.index(attacker, 3, "6.6.6");

    // the running process walks on from the keys/2.json it verified: keys/3.json needs r2
    assertThat(f.refused(updater)).hasMessageContaining("keys/3.json is signed by 0 of the root "
        + "keys of keys/2.json [" + r2.keyId() + "]");
    // after a restart the walk starts again at keys/1.json: the pinned SHA-256 refuses the fork
    assertThat(f.refused(f.updater(trustRoot))).hasMessageContaining("verified through a "
        + "keys/2.json that is not the key list 2 this install trusted")
        .hasMessageContaining("was replaced");
  }

  @Test
  void shouldRefuseANewRootThatDidNotSignItsOwnList() throws IOException {
    SigningKey r2 = SigningKey.generate();
    KeyList two = KeyList.first(role(1, rootKey), role(1, a)).next(role(1, r2), role(1, a));
    Files.write(f.file("keys/2.json"), two.toJson());
    Files.writeString(f.file(KeyList.signaturePath("keys/2.json", rootKey.keyId())),
        rootKey.sign(two.toJson(), "key list 2"));

    assertThat(f.refused(updater)).hasMessageContaining("keys/2.json is signed by 0 of its own "
        + "root keys [" + r2.keyId() + "], 1 is needed");
  }

  @Test
  void shouldRefuseACutChainAfterANewerKeyListWasSeen() throws IOException {
    KeyList one = KeyList.first(role(1, rootKey), role(1, a));
    f.publish(one.next(role(1, rootKey), role(1, b)), rootKey);
    f.index(b, 2, "1.1.0");
    assertThat(offered(updater)).isEqualTo("1.1.0");

    // a mirror (or an attacker) serves the chain cut at keys/1.json, with an index by revoked a
    Files.delete(f.file("keys/2.json"));
    f.index(a, 3, "6.6.6");
    // the running process still knows keys/2.json: a is not a publishing key there
    assertThat(f.refused(updater)).hasMessageContaining("of keys/2.json, 1 is needed");
    // after a restart the walk ends at keys/1.json, older than the list the install trusted
    assertThat(f.refused(f.updater(trustRoot))).hasMessageContaining("key list 1 (keys/1.json), "
        + "older than key list 2 this install has already trusted");
  }

  @Test
  void shouldRefuseAnExpiredKeyList() throws IOException {
    KeyList expired = KeyList.first(role(1, rootKey), role(1, a)).next(role(1, rootKey),
        role(1, a)).withExpires(KeyListFixture.NOW.minus(Duration.ofHours(1)));
    f.publish(expired, rootKey);

    assertThat(f.refused(updater)).hasMessageContaining("key list 2, which expired at");
    assertThat(f.trust()).isEmpty();
  }

  @Test
  void shouldRefuseATamperedKeyList() throws IOException {
    f.publish(KeyList.first(role(1, rootKey), role(1, a)).next(role(1, rootKey), role(1, a)),
        rootKey);
    String json = Files.readString(f.file("keys/2.json"));
    Files.writeString(f.file("keys/2.json"), json.replace("\"keys\" : [ \"" + "",
        "\"keys\" : [ \"" + b.publicKeyText().split("\n")[1] + "\", \""));
    assertThat(Files.readString(f.file("keys/2.json"))).isNotEqualTo(json);

    assertThat(f.refused(updater)).hasMessageContaining("keys/2.json is signed by 0 of the root "
        + "keys of keys/1.json").hasMessageContaining("does not match the data");
  }

  @Test
  void shouldRefuseAKeyListServedUnderAnotherNumber() throws IOException {
    f.publish(KeyList.first(role(1, rootKey), role(1, a)).next(role(1, rootKey), role(1, a)),
        rootKey);
    f.publish(new KeyList(3, java.util.Optional.empty(), role(1, rootKey), role(1, b),
        java.util.Optional.empty()), rootKey);
    Files.move(f.file("keys/3.json"), f.file("keys/2.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(f.file(KeyList.signaturePath("keys/3.json", rootKey.keyId())),
        f.file(KeyList.signaturePath("keys/2.json", rootKey.keyId())),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThat(f.refused(updater)).hasMessageContaining("keys/2.json says it is version 3");
  }

  @Test
  void shouldRefuseARepositoryWithoutKeyLists() throws IOException {
    Files.delete(f.file("keys/1.json"));
    assertThat(f.refused(updater)).hasMessageContaining("keys/1.json is missing")
        .hasMessageContaining("updater keys init");
  }

  @Test
  void shouldRefuseToGuessWhenTheRememberedKeyListIsDamaged() throws IOException {
    assertThat(offered(updater)).isEqualTo("1.0.0");
    Path trust = dev.updater.core.Layout.of(f.home).state().resolve("trust.json");
    Files.writeString(trust, Files.readString(trust).replace("\"keyList\" : 1",
        "\"keyList\" : \"one\""));
    byte[] damaged = Files.readAllBytes(trust);

    UpdateException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> updater.check(true), UpdateException.class);
    assertThat(e.reason()).isEqualTo(UpdateException.Reason.IO_ERROR);
    assertThat(e).hasMessageContaining("keyList must be a positive integer")
        .hasMessageContaining("Restore it from a backup");
    assertThat(Files.readAllBytes(trust)).isEqualTo(damaged);
  }

  @Test
  void shouldRefuseATrustRootForASourceThatCannotFollowKeyLists() {
    java.net.URI github = ReleaseSources.location("github:my-org/myapp?asset=myapp-{version}.tar.gz");
    assertThatThrownBy(() -> ReleaseSources.open(github, trustRoot))
        .isInstanceOf(InvalidSourceException.class)
        .hasMessageContaining("does not follow key lists from a trust root yet");
  }

  @Test
  void shouldRefuseAFirstKeyListNotSignedByTheTrustedRoot() throws IOException {
    SigningKey other = SigningKey.generate();
    assertThat(f.refused(f.updater(root(1, other)))).hasMessageContaining("keys/1.json is signed "
        + "by 0 of the trusted root keys [" + other.keyId() + "], 1 is needed");
  }

  @Test
  void shouldFollowARotationOverHttp() throws IOException {
    HttpServer server = serve(f.repo);
    try {
      Updater overHttp = f.updater(HttpReleaseSource.builder(URI.create("http://127.0.0.1:"
          + server.getAddress().getPort() + "/")).maxAttempts(1).trustRoot(trustRoot).build());
      assertThat(offered(overHttp)).isEqualTo("1.0.0");
      f.publish(KeyList.first(role(1, rootKey), role(1, a)).next(role(1, rootKey), role(1, b)),
          rootKey);
      f.index(b, 2, "1.1.0");
      assertThat(offered(overHttp)).isEqualTo("1.1.0");
      f.index(a, 3, "6.6.6");
      assertThat(f.refused(overHttp)).hasMessageContaining("of keys/2.json, 1 is needed");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aFirstCheckReadsEachKeyListAndALaterOneOnlyTheNextOverHttp() throws IOException {
    KeyList one = KeyList.first(role(1, rootKey), role(1, a));
    KeyList two = one.next(role(1, rootKey), role(1, b));
    f.publish(two, rootKey);
    f.publish(two.next(role(1, rootKey), role(1, a)), rootKey);
    f.index(a, 2, "1.1.0");
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = serve(f.repo, requests);
    try {
      Updater overHttp = f.updater(HttpReleaseSource.builder(URI.create("http://127.0.0.1:"
          + server.getAddress().getPort() + "/")).maxAttempts(1).trustRoot(trustRoot).build());
      assertThat(offered(overHttp)).isEqualTo("1.1.0");
      // the index, keys/1..3.json with one signature each, keys/4.json (404), the index signature
      assertThat(requests).hasSize(9).contains("/keys/4.json", "/channels/stable.json.minisig");
      requests.clear();
      assertThat(offered(overHttp)).isEqualTo("1.1.0");
      // the source walks on from keys/3.json, which it verified: only keys/4.json is asked for
      assertThat(requests).containsExactlyInAnyOrder("/channels/stable.json", "/keys/4.json",
          "/channels/stable.json.minisig");
    } finally {
      server.stop(0);
    }
  }

  /** A static file server over {@code dir} on 127.0.0.1: 200 with the file, or 404. */
  static HttpServer serve(Path dir) throws IOException {
    return serve(dir, new CopyOnWriteArrayList<>());
  }

  /** The same, adding the path of every request to {@code requests}. */
  static HttpServer serve(Path dir, List<String> requests) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestURI().getPath());
      Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      try (exchange) {
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
    return server;
  }
}
