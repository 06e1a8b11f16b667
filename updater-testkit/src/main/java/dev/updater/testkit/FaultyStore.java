package dev.updater.testkit;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;

/**
 * The file store of a {@link FaultyFileSystem}: the delegate's, with the usable space lowered when
 * the test set a free-space limit.
 */
final class FaultyStore extends FileStore {
  private final FileStore delegate;
  private final FaultyFileSystem control;

  FaultyStore(FileStore delegate, FaultyFileSystem control) {
    this.delegate = delegate;
    this.control = control;
  }

  @Override public String name() {
    return delegate.name();
  }

  @Override public String type() {
    return delegate.type();
  }

  @Override public boolean isReadOnly() {
    return delegate.isReadOnly();
  }

  @Override public long getTotalSpace() throws IOException {
    return control.totalSpace(delegate);
  }

  @Override public long getUsableSpace() throws IOException {
    return control.usableSpace(delegate);
  }

  @Override public long getUnallocatedSpace() throws IOException {
    return control.usableSpace(delegate);
  }

  @Override public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
    return delegate.supportsFileAttributeView(type);
  }

  @Override public boolean supportsFileAttributeView(String name) {
    return delegate.supportsFileAttributeView(name);
  }

  @Override public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
    return delegate.getFileStoreAttributeView(type);
  }

  @Override public Object getAttribute(String attribute) throws IOException {
    return delegate.getAttribute(attribute);
  }

  @Override public boolean equals(Object o) {
    return o instanceof FaultyStore s && s.delegate.equals(delegate);
  }

  @Override public int hashCode() {
    return delegate.hashCode();
  }

  @Override public String toString() {
    return delegate.toString();
  }
}
