// tag::provider[]
package com.example.updates;

import dev.updater.core.source.DirectoryReleaseSource;
import dev.updater.core.spi.ReleaseSource;
import dev.updater.core.spi.ReleaseSourceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** usb:LABEL, or usb:LABEL?mounts=/srv/sticks: the updates/ directory of a mounted USB stick. */
public final class UsbStickSourceProvider implements ReleaseSourceProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("usb");
  }

  @Override
  public ReleaseSource open(Request request) {
    String ssp = request.location().getSchemeSpecificPart();
    String label = ssp.contains("?") ? ssp.substring(0, ssp.indexOf('?')) : ssp;
    if (!label.matches("[A-Za-z0-9_-]{1,32}")) {
      throw new IllegalArgumentException("'" + label + "' is not a volume label; write usb:LABEL");
    }
    String user = request.environment().getOrDefault("USER", "root");
    List<Path> mounts = ssp.contains("?mounts=")
        ? List.of(Path.of(ssp.substring(ssp.indexOf("?mounts=") + 8)))
        : List.of(Path.of("/media", user), Path.of("/run/media", user), Path.of("/mnt"));
    Path repository = mounts.stream().map(m -> m.resolve(label).resolve("updates"))
        .filter(Files::isDirectory).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no USB stick labelled " + label
            + " with an updates/ directory is mounted under " + mounts));
    return request.trustedKeys()
        .<ReleaseSource>map(keys -> DirectoryReleaseSource.of(repository, keys))
        .orElseGet(() -> DirectoryReleaseSource.of(repository));
  }
}
// end::provider[]
