package dev.updater.core.internal;

import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.Release;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateException.Reason;
import dev.updater.core.Version;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staged rollouts: whether this install is among the {@link Release#rollout()} percent of installs
 * a release is offered to. Not API.
 *
 * <p>Each install has a random id kept in {@code .updater/install-id}, created once (written to a
 * temporary file, forced, then hard-linked into place so that of two processes creating it at once
 * one wins and both read the winner's id). Its bucket for a version is the first 8 bytes of
 * {@code SHA-256(installId + ":" + version)}, read as an unsigned big-endian number, modulo 100;
 * the install is in the rollout when its bucket is below the percentage. So the same install gets
 * the same answer for a version every time, raising the percentage only adds installs, and the
 * installs that get one release first are not the same ones for the next.
 *
 * <pre>{@code
 * Rollout rollout = new Rollout(layout.state().resolve("install-id"));
 * if (!rollout.admits(release)) { ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class Rollout {
  private static final Logger LOG = LoggerFactory.getLogger(Rollout.class);
  /** What an install id may be: a host may write its own (a machine id, say) before first use. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{8,128}");

  private final Path file;
  private volatile String installId;

  Rollout(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /**
   * True when this install is in the staged rollout of {@code release}. A release at 100% or 0%
   * needs no install id, so none is created for it.
   */
  boolean admits(Release release) {
    if (release.rollout() >= Release.FULL_ROLLOUT || release.rollout() <= 0) {
      return release.rollout() >= Release.FULL_ROLLOUT;
    }
    return bucket(installId(), release.version()) < release.rollout();
  }

  /** This install's bucket for {@code version}, 0 to 99. */
  int bucket(Version version) {
    return bucket(installId(), version);
  }

  /** The bucket, 0 to 99, of {@code installId} for {@code version}. */
  static int bucket(String installId, Version version) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256")
          .digest((installId + ":" + version).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    return (int) Long.remainderUnsigned(ByteBuffer.wrap(hash, 0, 8).getLong(), 100);
  }

  /** This install's id, read from its file, which is created with a random id the first time. */
  String installId() {
    String id = installId;
    if (id == null) {
      synchronized (this) {
        id = installId;
        if (id == null) {
          try {
            id = readOrCreate();
          } catch (IOException e) {
            throw new UpdateException(Reason.IO_ERROR, null, "cannot read or create the install id "
                + file + ": " + Failures.describe(e) + "; make " + file.getParent()
                + " writable and try again", e);
          }
          installId = id;
        }
      }
    }
    return id;
  }

  private String readOrCreate() throws IOException {
    try {
      return read();
    } catch (NoSuchFileException e) {
      create();
      return read();
    }
  }

  private String read() throws IOException {
    if (Files.size(file) > 1024) {
      throw invalid("it is larger than 1 KiB");
    }
    String id = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (!ID.matcher(id).matches()) {
      throw invalid("it must hold 8 to 128 letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  private UpdateException invalid(String why) {
    return new UpdateException(Reason.IO_ERROR, null, "the install id " + file + " is not valid ("
        + why + "); delete it to get a new random id (this install's place in staged rollouts "
        + "changes with it)", null);
  }

  private void create() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap((UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.createLink(file, tmp); // link(2) never replaces: the first creator wins
      } catch (FileAlreadyExistsException e) {
        return; // another process created it first; use its id
      } catch (UnsupportedOperationException | FileSystemException e) {
        // No hard links here: a plain move, which does not replace an existing id either.
        try {
          Files.move(tmp, file);
        } catch (FileAlreadyExistsException raced) {
          return;
        }
      }
      AtomicFiles.syncDirectory(dir);
      LOG.info("Created the install id {} for staged rollouts", file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
