package dev.updater.testkit;

import dev.updater.core.Version;
import dev.updater.core.spi.ReleaseSource;
import java.util.Map;

class InMemoryReleaseSourceContractTest extends ReleaseSourceContract {
  @Override
  protected ReleaseSource createSource(Map<Version, byte[]> releases) {
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    releases.forEach((version, archive) -> source.publish(CHANNEL, version, archive));
    return source;
  }
}
