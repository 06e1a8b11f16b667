package dev.updater.testkit;

import dev.updater.core.spi.RejectedArchiveException;
import dev.updater.core.spi.Stager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fake stager against the contract: its tree is the artifact itself, under its name; it
 * refuses what it is told to refuse, here the artifact of the call after the last one so far.
 */
class RecordingStagerContractTest extends StagerContract {
  private RecordingStager fake;

  @Override
  protected Stager createStager() {
    fake = RecordingStager.create();
    return fake;
  }

  @Override
  protected Sample accepted(Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("app-1.0.0.bin"), "the release");
    return new Sample(file, Map.of("app-1.0.0.bin", "the release"));
  }

  @Override
  protected Path rejected(Path dir) throws Exception {
    fake.failOnCall(fake.callCount() + 1, new RejectedArchiveException("told to refuse"));
    return Files.writeString(dir.resolve("evil.bin"), "anything");
  }
}
