package dev.updater.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The provider of a {@link FaultyFileSystem}: forwards every call to the delegate, counting each
 * call that changes the tree as one write (and failing it once the power is cut), and telling the
 * control of each force.
 */
final class FaultyProvider extends FileSystemProvider {
  private final FaultyFs fs;

  FaultyProvider(FaultyFs fs) {
    this.fs = fs;
  }

  private static Path d(Path p) {
    return FaultyPath.unwrap(p);
  }

  private void write(String what, Path p) throws IOException {
    fs.control.beforeWrite(what, d(p));
  }

  @Override public String getScheme() {
    return FaultyFs.SCHEME;
  }

  @Override public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("use FaultyFileSystem.over");
  }

  @Override public FileSystem getFileSystem(URI uri) {
    throw new UnsupportedOperationException("use FaultyFileSystem.over");
  }

  @Override public Path getPath(URI uri) {
    throw new UnsupportedOperationException("use FaultyFileSystem.path");
  }

  @Override public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
      FileAttribute<?>... attrs) throws IOException {
    return newFileChannel(path, options, attrs);
  }

  @Override public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options,
      FileAttribute<?>... attrs) throws IOException {
    Path target = d(path);
    boolean writes = options.contains(StandardOpenOption.WRITE)
        || options.contains(StandardOpenOption.APPEND);
    if (!writes && Files.isDirectory(target)) {
      return new DirectoryChannel(fs.control, target);
    }
    if (writes && (options.contains(StandardOpenOption.CREATE)
        || options.contains(StandardOpenOption.CREATE_NEW)
        || options.contains(StandardOpenOption.TRUNCATE_EXISTING))) {
      write("open for writing", path);
    } else {
      fs.control.check();
    }
    FileChannel ch = target.getFileSystem().provider().newFileChannel(target, options, attrs);
    return new FaultyChannel(fs.control, target, ch);
  }

  @Override public DirectoryStream<Path> newDirectoryStream(Path dir,
      DirectoryStream.Filter<? super Path> filter) throws IOException {
    fs.control.check();
    DirectoryStream<Path> in = Files.newDirectoryStream(d(dir), p -> filter.accept(fs.wrap(p)));
    return new DirectoryStream<>() {
      @Override public Iterator<Path> iterator() {
        Iterator<Path> it = in.iterator();
        return new Iterator<>() {
          @Override public boolean hasNext() {
            return it.hasNext();
          }

          @Override public Path next() {
            return fs.wrap(it.next());
          }
        };
      }

      @Override public void close() throws IOException {
        in.close();
      }
    };
  }

  @Override public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    write("create directory", dir);
    Files.createDirectory(d(dir), attrs);
  }

  @Override public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs)
      throws IOException {
    write("create link", link);
    Files.createSymbolicLink(d(link), d(target), attrs);
  }

  @Override public void createLink(Path link, Path existing) throws IOException {
    write("create hard link", link);
    Files.createLink(d(link), d(existing));
  }

  @Override public void delete(Path path) throws IOException {
    write("delete", path);
    Files.delete(d(path));
  }

  @Override public Path readSymbolicLink(Path link) throws IOException {
    fs.control.check();
    return fs.wrap(Files.readSymbolicLink(d(link)));
  }

  @Override public void copy(Path source, Path target, CopyOption... options) throws IOException {
    write("copy", target);
    Files.copy(d(source), d(target), options);
  }

  @Override public void move(Path source, Path target, CopyOption... options) throws IOException {
    write("rename", target);
    Files.move(d(source), d(target), options);
  }

  @Override public boolean isSameFile(Path path, Path path2) throws IOException {
    return Files.isSameFile(d(path), d(path2));
  }

  @Override public boolean isHidden(Path path) throws IOException {
    return Files.isHidden(d(path));
  }

  @Override public FileStore getFileStore(Path path) throws IOException {
    return new FaultyStore(Files.getFileStore(d(path)), fs.control);
  }

  @Override public void checkAccess(Path path, AccessMode... modes) throws IOException {
    fs.control.check();
    Path p = d(path);
    p.getFileSystem().provider().checkAccess(p, modes);
  }

  @Override @SuppressWarnings("unchecked")
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type,
      LinkOption... options) {
    V view = Files.getFileAttributeView(d(path), type, options);
    if (view instanceof PosixFileAttributeView posix && type == PosixFileAttributeView.class) {
      return (V) new CountingPosixView(posix, path);
    }
    return view;
  }

  @Override public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type,
      LinkOption... options) throws IOException {
    fs.control.check();
    return Files.readAttributes(d(path), type, options);
  }

  @Override public Map<String, Object> readAttributes(Path path, String attributes,
      LinkOption... options) throws IOException {
    fs.control.check();
    return Files.readAttributes(d(path), attributes, options);
  }

  @Override public void setAttribute(Path path, String attribute, Object value,
      LinkOption... options) throws IOException {
    write("set " + attribute, path);
    Files.setAttribute(d(path), attribute, value, options);
  }

  /** A POSIX view whose changes count as writes. */
  private final class CountingPosixView implements PosixFileAttributeView {
    private final PosixFileAttributeView view;
    private final Path path;

    CountingPosixView(PosixFileAttributeView view, Path path) {
      this.view = view;
      this.path = path;
    }

    @Override public String name() {
      return view.name();
    }

    @Override public java.nio.file.attribute.PosixFileAttributes readAttributes()
        throws IOException {
      fs.control.check();
      return view.readAttributes();
    }

    @Override public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
      write("set permissions", path);
      view.setPermissions(perms);
    }

    @Override public void setOwner(java.nio.file.attribute.UserPrincipal owner)
        throws IOException {
      write("set owner", path);
      view.setOwner(owner);
    }

    @Override public void setGroup(java.nio.file.attribute.GroupPrincipal group)
        throws IOException {
      write("set group", path);
      view.setGroup(group);
    }

    @Override public java.nio.file.attribute.UserPrincipal getOwner() throws IOException {
      return view.getOwner();
    }

    @Override public void setTimes(java.nio.file.attribute.FileTime lastModifiedTime,
        java.nio.file.attribute.FileTime lastAccessTime,
        java.nio.file.attribute.FileTime createTime) throws IOException {
      write("set times", path);
      view.setTimes(lastModifiedTime, lastAccessTime, createTime);
    }
  }
}
