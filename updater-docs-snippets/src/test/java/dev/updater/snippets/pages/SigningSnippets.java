package dev.updater.snippets.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.*;
import dev.updater.core.activate.*;
import dev.updater.core.admin.*;
import dev.updater.core.command.*;
import dev.updater.core.confirm.*;
import dev.updater.core.repository.*;
import dev.updater.core.source.*;
import dev.updater.core.source.github.*;
import dev.updater.core.spi.*;
import dev.updater.core.stage.*;
import dev.updater.core.trust.*;
import dev.updater.jdbc.*;
import dev.updater.systemd.*;
import dev.updater.testkit.*;
import java.io.*;
import java.net.*;
import java.net.http.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import javax.sql.DataSource;

/** The Java blocks of docs/signing.md. */
final class SigningSnippets {
  Path repo;
  SigningKey key;

  void with_the_library() throws Exception {
    // tag::with-the-library[]
    SigningKey key = SigningKey.generate();
    key.save(Path.of("keys/updater.key"));                       // secret: 0600, never overwritten
    Files.writeString(Path.of("keys/updater.pub"), key.publicKeyText());
    // end::with-the-library[]
  }

  void writes_channels_stable_json() throws Exception {
    // tag::writes-channels-stable-json[]
    byte[] index = Files.readAllBytes(repo.resolve("channels/stable.json"));
    Files.writeString(repo.resolve("channels/stable.json.minisig"),
        key.sign(index, "myapp stable serial 8"));                    // SigningKey.Mode.PREHASHED
    // key.sign(index, comment, SigningKey.Mode.PURE) for the "Ed" mode
    // end::writes-channels-stable-json[]
  }

  void trusting_keys() throws Exception {
    // tag::trusting-keys[]
    TrustedKeys keys = TrustedKeys.read(Path.of("/etc/myapp/updater.pub"));
    ReleaseSource source = DirectoryReleaseSource.of(Path.of("/mnt/updates/myapp"), keys);
    // end::trusting-keys[]
  }
}
