package dev.updater.checks;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The size limits of the house style, checked on parsed Java sources: no file over
 * {@value #MAX_FILE_LINES} lines, no method or constructor over {@value #MAX_METHOD_LINES} lines.
 *
 * <p>A method is counted from the line of its declaration (after any annotations on it) to the
 * line of its closing brace, so lambdas and local or anonymous classes inside its body count
 * towards it; their own methods are checked as well. Methods without a body (abstract, interface)
 * are not counted. A record's compact constructor is a method. Sources are parsed with the JDK's
 * own compiler, without resolving any types, so a file is checked whatever it imports.
 */
final class SourceShape {

  static final int MAX_FILE_LINES = 400;
  static final int MAX_METHOD_LINES = 60;

  private SourceShape() {}

  /**
   * Every main Java source of a checkout: {@code src/main/java} of every module, at any depth,
   * leaving out build output ({@code target/}), hidden directories and anything under another
   * {@code src/} folder (test fixtures).
   */
  static List<Path> mainSources(Path root) {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String name = dir.equals(root) ? "" : dir.getFileName().toString();
          return name.equals("target") || name.startsWith(".")
              ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (file.getFileName().toString().endsWith(".java")
              && isMainSource(root.relativize(file))) {
            found.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the sources under " + root, e);
    }
    found.sort(null);
    return found;
  }

  private static boolean isMainSource(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(part -> parts.add(part.toString()));
    // The first src/ on the path decides, so fixtures kept under src/test/ are never counted.
    int src = parts.indexOf("src");
    return src >= 0 && src + 2 < parts.size() - 1
        && parts.get(src + 1).equals("main") && parts.get(src + 2).equals("java");
  }

  /**
   * The violations in the given files, one line each, naming the file relative to {@code root}
   * and, for a method, the line it starts on. A file that does not parse is a violation too.
   */
  static List<String> violations(Path root, List<Path> files) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("no Java compiler in this runtime (a JRE, not a JDK?)");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> found = new ArrayList<>();
    try (StandardJavaFileManager fileManager =
        compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
      JavacTask task = (JavacTask) compiler.getTask(
          null, fileManager, diagnostics, List.of("-proc:none"), null, units);
      SourcePositions positions = Trees.instance(task).getSourcePositions();
      for (CompilationUnitTree unit : task.parse()) {
        check(root, unit, positions, found);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the sources under " + root, e);
    }
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
      if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
        found.add(name(root, diagnostic.getSource()) + ":" + diagnostic.getLineNumber()
            + ": does not parse: " + diagnostic.getMessage(null));
      }
    }
    return found;
  }

  private static void check(
      Path root, CompilationUnitTree unit, SourcePositions positions, List<String> found)
      throws IOException {
    String text = unit.getSourceFile().getCharContent(true).toString();
    String file = name(root, unit.getSourceFile());
    long lines = text.lines().count();
    if (lines > MAX_FILE_LINES) {
      found.add(file + ": " + lines + " lines (limit " + MAX_FILE_LINES + ")");
    }
    new MethodLength(unit, positions, text, file, found).scan(unit, null);
  }

  private static String name(Path root, JavaFileObject source) {
    if (source == null) {
      return "(no file)";
    }
    Path path = Path.of(source.toUri());
    return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
  }

  /** Measures every method with a body and records those over the limit. */
  private static final class MethodLength extends TreePathScanner<Void, Void> {
    private final CompilationUnitTree unit;
    private final SourcePositions positions;
    private final String text;
    private final String file;
    private final List<String> found;

    MethodLength(CompilationUnitTree unit, SourcePositions positions, String text, String file,
        List<String> found) {
      this.unit = unit;
      this.positions = positions;
      this.text = text;
      this.file = file;
      this.found = found;
    }

    @Override
    public Void visitMethod(MethodTree method, Void unused) {
      long end = positions.getEndPosition(unit, method);
      long start = declarationStart(method);
      if (method.getBody() != null && start >= 0 && end > start) {
        LineMap lineMap = unit.getLineMap();
        long first = lineMap.getLineNumber(start);
        // The end position is just past the closing brace; the brace itself is one before it.
        long last = lineMap.getLineNumber(end - 1);
        long length = last - first + 1;
        if (length > MAX_METHOD_LINES) {
          found.add(file + ":" + first + ": " + describe(method) + " is " + length
              + " lines (limit " + MAX_METHOD_LINES + ")");
        }
      }
      return super.visitMethod(method, unused);
    }

    /** Where the declaration starts once the annotations on it are passed over. */
    private long declarationStart(MethodTree method) {
      long start = positions.getStartPosition(unit, method);
      for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
        start = Math.max(start, positions.getEndPosition(unit, annotation));
      }
      while (start >= 0 && start < text.length()
          && Character.isWhitespace(text.charAt((int) start))) {
        start++;
      }
      return start;
    }

    private String describe(MethodTree method) {
      String owner = "";
      for (TreePath path = getCurrentPath().getParentPath(); path != null;
          path = path.getParentPath()) {
        if (path.getLeaf() instanceof ClassTree) {
          owner = ((ClassTree) path.getLeaf()).getSimpleName().toString();
          break;
        }
      }
      String ownerName = owner.isEmpty() ? "(anonymous class)" : owner;
      String name = method.getName().toString();
      return name.equals("<init>")
          ? "constructor " + ownerName
          : "method " + ownerName + "." + name;
    }
  }
}
