package dev.updater.examples;

import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.SymlinkActivator;
import dev.updater.core.UpdateEvent;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateResult;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import dev.updater.testkit.InMemoryReleaseSource;
import dev.updater.testkit.ReleaseArchives;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The end-to-end demo of the README: a host application's home on the real disk goes from 1.0.0 to
 * 1.1.0, refuses a tampered 1.2.0 without changing anything, and rolls back to 1.0.0, through the
 * real pipeline, printing each step.
 *
 * <pre>{@code
 * java dev.updater.examples.LocalUpdateDemo [home-directory]
 * }</pre>
 */
public final class LocalUpdateDemo {
  private LocalUpdateDemo() {}

  public static void main(String[] args) throws IOException {
    Path home = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("updater-demo-");
    InMemoryReleaseSource source = InMemoryReleaseSource.create();
    Release v100 = source.publish(Version.parse("1.0.0"), release("1.0.0"));
    Release v110 = source.publish(Version.parse("1.1.0"), release("1.1.0"));

    Updater updater = Updater.builder()
        .home(home)
        .source(source)
        .activator(SymlinkActivator.builder(Layout.of(home)).shared("data").build())
        .freeSpace(0, 3)
        .listener(LocalUpdateDemo::print)
        .build();

    say("Home: " + home);
    updater.install(v100);
    Files.writeString(updater.layout().shared().resolve("data/orders.txt"), "order 1\norder 2\n");
    say("Wrote shared/data/orders.txt while 1.0.0 is live");

    updater.check().ifPresent(release -> {
      say("Update available: " + release.version());
      UpdateResult result = updater.install(release);
      say("Result: " + result);
    });
    show(updater);

    Release v120 = source.publish(Version.parse("1.2.0"), release("1.2.0"));
    byte[] tampered = release("1.2.0");
    tampered[tampered.length / 2] ^= 1; // the bytes served no longer match the published SHA-256
    source.withdraw(v120.channel(), v120.version());
    source.add(v120, Map.of(v120.primaryArtifact().name(), tampered));
    try {
      updater.install(v120);
    } catch (UpdateException e) {
      say("Refused 1.2.0: " + e.reason() + " - " + e.getMessage());
    }
    show(updater);

    say("Rolling back: " + updater.rollback());
    show(updater);
    say("History:");
    updater.history().forEach(h -> say("  " + h.at() + " " + h.operation() + " "
        + h.from().map(Version::toString).orElse("-") + " -> "
        + h.to().map(Version::toString).orElse("-") + " " + h.outcome()
        + h.reason().map(r -> " (" + r + ")").orElse("")));
    if (!v100.version().equals(updater.status().installed().orElseThrow())
        || !Files.readString(home.resolve("current/data/orders.txt")).contains("order 2")) {
      throw new IllegalStateException("the demo did not end on 1.0.0 with its data intact");
    }
    say("Done: " + v110.version() + " was installed and rolled back; the data survived both.");
  }

  private static byte[] release(String version) {
    return ReleaseArchives.builder()
        .file("VERSION", version + "\n")
        .executable("bin/app", "#!/bin/sh\necho \"app " + version + "\"\n")
        .tarGz();
  }

  private static void show(Updater updater) throws IOException {
    UpdateStatus s = updater.status();
    Path current = updater.layout().current();
    say("Status: " + s.phase().statusName() + ", installed "
        + s.installed().map(Version::toString).orElse("-") + ", previous "
        + s.previous().map(Version::toString).orElse("-") + "; current -> "
        + Files.readSymbolicLink(current) + ", VERSION = "
        + Files.readString(current.resolve("VERSION"), StandardCharsets.UTF_8).trim());
  }

  private static void print(UpdateEvent event) {
    if (event instanceof UpdateEvent.StepStarted s) {
      say("  [" + s.phase().statusName() + "] " + s.step() + " " + s.target());
    } else if (event instanceof UpdateEvent.RolledBack r) {
      say("  switched back from " + r.from() + " to " + r.to().map(Version::toString).orElse("-"));
    } else if (event instanceof UpdateEvent.Failed f) {
      say("  failed: " + f.error().reason());
    }
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
