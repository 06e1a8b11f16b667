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

/** The Java blocks of docs/repository.md. */
final class RepositorySnippets {

  void laying_out_a_repository() throws Exception {
    // tag::laying-out-a-repository[]
    ReleaseIndex index = DirectoryReleaseSource.of(Path.of("/srv/updates/myapp")).index("stable");
    // end::laying-out-a-repository[]
  }
}
