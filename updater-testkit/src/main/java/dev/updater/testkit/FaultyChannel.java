package dev.updater.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A file channel of a {@link FaultyFileSystem}: each write counts as one write (and fails once the
 * power is cut, or when it would pass the free-space limit); {@link #force} records the file's
 * bytes as durable.
 */
final class FaultyChannel extends FileChannel {
  private final FaultyFileSystem control;
  private final Path path;
  private final FileChannel ch;

  FaultyChannel(FaultyFileSystem control, Path path, FileChannel ch) {
    this.control = control;
    this.path = path;
    this.ch = ch;
  }

  private void writing(long bytes) throws IOException {
    control.beforeWrite("write", path);
    control.reserve(path, bytes);
  }

  @Override public int read(ByteBuffer dst) throws IOException {
    control.check();
    return ch.read(dst);
  }

  @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    control.check();
    return ch.read(dsts, offset, length);
  }

  @Override public int write(ByteBuffer src) throws IOException {
    writing(src.remaining());
    return ch.write(src);
  }

  @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long n = 0;
    for (int i = offset; i < offset + length; i++) {
      n += srcs[i].remaining();
    }
    writing(n);
    return ch.write(srcs, offset, length);
  }

  @Override public long position() throws IOException {
    return ch.position();
  }

  @Override public FileChannel position(long newPosition) throws IOException {
    ch.position(newPosition);
    return this;
  }

  @Override public long size() throws IOException {
    return ch.size();
  }

  @Override public FileChannel truncate(long size) throws IOException {
    control.beforeWrite("truncate", path);
    ch.truncate(size);
    return this;
  }

  @Override public void force(boolean metaData) throws IOException {
    control.check();
    ch.force(metaData);
    control.forced(path);
  }

  @Override public long transferTo(long position, long count, WritableByteChannel target)
      throws IOException {
    control.check();
    return ch.transferTo(position, count, target);
  }

  @Override public long transferFrom(ReadableByteChannel src, long position, long count)
      throws IOException {
    writing(count);
    return ch.transferFrom(src, position, count);
  }

  @Override public int read(ByteBuffer dst, long position) throws IOException {
    control.check();
    return ch.read(dst, position);
  }

  @Override public int write(ByteBuffer src, long position) throws IOException {
    writing(src.remaining());
    return ch.write(src, position);
  }

  @Override public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException("the faulty file system maps no files");
  }

  @Override public FileLock lock(long position, long size, boolean shared) throws IOException {
    return ch.lock(position, size, shared);
  }

  @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return ch.tryLock(position, size, shared);
  }

  @Override protected void implCloseChannel() throws IOException {
    ch.close();
  }
}
