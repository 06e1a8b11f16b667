package dev.updater.jdbc.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Copies and deletes file trees without following symbolic links: a link is copied as a link, a
 * file byte for byte with its attributes (times, permissions where the file system keeps them).
 * Not API.
 *
 * <p>Stateless and thread-safe (not against other writers of the same trees).
 */
public final class FileCopies {
  private FileCopies() {}

  /**
   * Copies {@code source} (a file, a link or a directory tree) to {@code target}, which must not
   * exist. An entry below {@code source} that is deleted while the tree is walked (the {@code -wal}
   * and {@code -shm} files SQLite removes when its last connection closes) is left out of the copy,
   * as it is no longer in the tree; every other failure stops the copy.
   */
  public static void copyTree(Path source, Path target) throws IOException {
    if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      copyOne(source, target);
      return;
    }
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        try {
          Files.copy(dir, target.resolve(source.relativize(dir).toString()),
              StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          if (dir.equals(source) || !e.getFile().equals(dir.toString())) {
            throw e;
          }
          return FileVisitResult.SKIP_SUBTREE; // deleted since its parent was listed
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        try {
          copyOne(file, target.resolve(source.relativize(file).toString()));
        } catch (NoSuchFileException e) {
          if (!e.getFile().equals(file.toString())) {
            throw e;
          }
          // deleted since its directory was listed: not in the tree any more
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException && !file.equals(source)) {
          return FileVisitResult.CONTINUE; // deleted between listing and reading its attributes
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        // the copy of each entry changed the directory's time: set it again
        Files.setLastModifiedTime(target.resolve(source.relativize(dir).toString()),
            Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void copyOne(Path source, Path target) throws IOException {
    if (Files.isSymbolicLink(source)) {
      Files.createSymbolicLink(target, Files.readSymbolicLink(source));
    } else {
      Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /** Deletes {@code path} and everything under it, without following links; nothing if absent. */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(path);
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
