package dev.updater.snippets.pages;

import dev.updater.core.Artifact;
import dev.updater.core.Updater;
import dev.updater.core.spi.Stager;
import dev.updater.core.spi.TreeLimits;
import dev.updater.core.stage.ArchiveStager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The Java blocks of docs/staging.md. */
final class StagingSnippets {

  void staging_turning_a_verified() throws Exception {
    // tag::limits[]
    Updater updater = Updater.builder()
        // ...
        .stager(ArchiveStager.builder()
            .maxEntries(20_000)
            .maxTotalBytes(2L << 30)   // 2 GiB unpacked
            .build())
        .build();
    // end::limits[]
  }

  // tag::a-custom-stager[]
  final class SingleJarStager implements Stager {
    @Override
    public void stage(Path file, Artifact artifact, Path target) throws IOException {
      Files.copy(file, target.resolve("app.jar"));   // target is fresh and empty
    }
  }
  // end::a-custom-stager[]

  // tag::tar-stager[]
  final class TarStager implements Stager {
    @Override
    public void stage(Path file, Artifact artifact, Path target) throws IOException {
      stage(file, artifact, target, Stager.FileListener.NONE);
    }

    @Override
    public void stage(Path file, Artifact artifact, Path target, Stager.FileListener written)
        throws IOException {
      // extract every entry into target; call written.written(name, path) after each file
    }

    @Override
    public Optional<TreeLimits> exactTree() {
      return Optional.of(new TreeLimits(100_000, 8L << 30, 64, 4096)); // entries, bytes, depth, path
    }
  }
  // end::tar-stager[]
}
