package dev.updater.testkit;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@link FileSystem} of a {@link FaultyFileSystem}: every path wraps one of the delegate. */
final class FaultyFs extends FileSystem {
  static final String SCHEME = "faulty";
  private static final AtomicInteger IDS = new AtomicInteger();

  final FileSystem delegate;
  final FaultyProvider provider;
  final FaultyFileSystem control;
  final int id = IDS.incrementAndGet();

  FaultyFs(FileSystem delegate, FaultyFileSystem control) {
    this.delegate = delegate;
    this.control = control;
    this.provider = new FaultyProvider(this);
  }

  Path wrap(Path p) {
    return new FaultyPath(this, p);
  }

  @Override public FaultyProvider provider() {
    return provider;
  }

  @Override public void close() throws IOException {
    delegate.close();
  }

  @Override public boolean isOpen() {
    return delegate.isOpen();
  }

  @Override public boolean isReadOnly() {
    return delegate.isReadOnly();
  }

  @Override public String getSeparator() {
    return delegate.getSeparator();
  }

  @Override public Iterable<Path> getRootDirectories() {
    List<Path> roots = new ArrayList<>();
    delegate.getRootDirectories().forEach(r -> roots.add(wrap(r)));
    return roots;
  }

  @Override public Iterable<FileStore> getFileStores() {
    List<FileStore> stores = new ArrayList<>();
    delegate.getFileStores().forEach(s -> stores.add(new FaultyStore(s, control)));
    return stores;
  }

  @Override public Set<String> supportedFileAttributeViews() {
    return delegate.supportedFileAttributeViews();
  }

  @Override public Path getPath(String first, String... more) {
    return wrap(delegate.getPath(first, more));
  }

  @Override public PathMatcher getPathMatcher(String syntaxAndPattern) {
    PathMatcher m = delegate.getPathMatcher(syntaxAndPattern);
    return p -> m.matches(FaultyPath.unwrap(p));
  }

  @Override public UserPrincipalLookupService getUserPrincipalLookupService() {
    return delegate.getUserPrincipalLookupService();
  }

  @Override public WatchService newWatchService() {
    throw new UnsupportedOperationException("the faulty file system watches nothing");
  }
}
