package dev.updater.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A directory opened for reading, as {@code fsync} of a directory needs: {@link #force} records
 * the directory's entries as durable; reading fails as it does on Linux ({@code EISDIR}).
 */
final class DirectoryChannel extends FileChannel {
  private final FaultyFileSystem control;
  private final Path dir;

  DirectoryChannel(FaultyFileSystem control, Path dir) {
    this.control = control;
    this.dir = dir;
  }

  private IOException isDirectory() {
    return new FileSystemException(dir.toString(), null, "Is a directory");
  }

  @Override public void force(boolean metaData) throws IOException {
    control.check();
    control.forcedDirectory(dir);
  }

  @Override public int read(ByteBuffer dst) throws IOException {
    throw isDirectory();
  }

  @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    throw isDirectory();
  }

  @Override public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override public long position() {
    return 0;
  }

  @Override public FileChannel position(long newPosition) {
    return this;
  }

  @Override public long size() {
    return 0;
  }

  @Override public FileChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override public long transferTo(long position, long count, WritableByteChannel target)
      throws IOException {
    throw isDirectory();
  }

  @Override public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new NonWritableChannelException();
  }

  @Override public int read(ByteBuffer dst, long position) throws IOException {
    throw isDirectory();
  }

  @Override public int write(ByteBuffer src, long position) {
    throw new NonWritableChannelException();
  }

  @Override public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    throw isDirectory();
  }

  @Override public FileLock lock(long position, long size, boolean shared) throws IOException {
    throw isDirectory();
  }

  @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    throw isDirectory();
  }

  @Override protected void implCloseChannel() {}
}
