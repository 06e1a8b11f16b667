package dev.updater.snippets.pages;

import dev.updater.core.ReleaseIndex;
import dev.updater.core.source.DirectoryReleaseSource;
import java.nio.file.Path;

/** The Java blocks of docs/repository.md. */
final class RepositorySnippets {

  void laying_out_a_repository() throws Exception {
    // tag::laying-out-a-repository[]
    ReleaseIndex index = DirectoryReleaseSource.of(Path.of("/srv/updates/myapp")).index("stable");
    // end::laying-out-a-repository[]
  }
}
